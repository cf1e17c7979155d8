DROP FUNCTION heard_counted(responses);

DROP TRIGGER coding_events_coders_insert ON coding_events;
DROP TRIGGER coding_events_coders_delete ON coding_events;
DROP FUNCTION heard_coder_counts();
DROP TABLE coder_counts;

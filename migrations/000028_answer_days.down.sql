DROP TRIGGER responses_answer_days_update ON responses;
DROP TRIGGER responses_answer_days_delete ON responses;
DROP TRIGGER responses_answer_days_insert ON responses;
DROP FUNCTION heard_count_response_days();
DROP TRIGGER answers_days_update ON answers;
DROP TRIGGER answers_days_delete ON answers;
DROP TRIGGER answers_days_insert ON answers;
DROP FUNCTION heard_count_answer_days();
DROP TABLE answer_days;

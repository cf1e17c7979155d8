DROP TRIGGER responses_answer_pairs_update ON responses;
DROP TRIGGER responses_answer_pairs_delete ON responses;
DROP FUNCTION heard_count_response_pairs();
DROP TRIGGER answers_pairs_update ON answers;
DROP TRIGGER answers_pairs_delete ON answers;
DROP TRIGGER answers_pairs_insert ON answers;
DROP FUNCTION heard_count_answer_pairs();
DROP TABLE answer_pairs;

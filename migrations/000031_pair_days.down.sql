DROP INDEX response_facts_answers_idx;
DROP TRIGGER response_facts_pair_days_update ON response_facts;
DROP TRIGGER response_facts_pair_days_delete ON response_facts;
DROP TRIGGER response_facts_pair_days_insert ON response_facts;
DROP FUNCTION heard_count_pair_days();
DROP TABLE answer_pair_days;

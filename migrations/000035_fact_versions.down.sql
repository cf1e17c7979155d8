DROP TRIGGER response_facts_stamp_update ON response_facts;
DROP TRIGGER response_facts_stamp_delete ON response_facts;
DROP TRIGGER response_facts_stamp_insert ON response_facts;
DROP FUNCTION heard_stamp_facts();
DROP TABLE fact_versions;
DROP SEQUENCE fact_version_seq;

DROP INDEX response_facts_keys_idx;
DROP FUNCTION heard_fact_keys(integer, channel, boolean, bigint, date, bigint[]);

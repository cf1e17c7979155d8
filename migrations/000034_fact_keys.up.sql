-- Every response-level filter of the answer lists in one GIN index
-- (issue #10 items 1-2, issue #11 item 11).
--
-- A list whose filters are each broad but together match few answers
-- (organisations x channel event, organisations x "Fully" to Q1a) walked
-- the broadest index and probed every answer on it: 0.3-1.4 s at a
-- million responses. response_facts (000028) already has one narrow row
-- per counted response with everything those filters test; this index
-- puts all of it in one array per row, so any combination is an
-- intersection of posting lists that the GIN fast scan walks from the
-- rarest key, before any row is read.
--
-- The keys are the row's answers as response_facts keeps them
-- (question_id * 2^32 + option_id, option 0 for open text, so "answered
-- Q1b" is a key), and negative keys -(kind * 2^40) - value for the rest:
-- kind 1 respondent group (0: not known), 2 channel (1 webform, 2 email,
-- 3 letter, 4 event), 3 organisation (1) or individual (0), 4 event id,
-- 5 received day (days since 2000-01-01, London time). Answer keys are
-- at least 2^32, so the two never meet.
--
-- It is an expression index, not a column: response_facts is kept exact
-- by its own statement triggers (000028), so the keys are exact whenever
-- the row is, with no trigger or table of its own. Coding state is not
-- in it: a coding save would rewrite the row and every key.
CREATE FUNCTION heard_fact_keys(grp integer, ch channel, org boolean, event bigint, day date, answers bigint[])
RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT answers || ARRAY[
        -(1::bigint << 40) - grp,
        -(2::bigint << 40) - CASE ch WHEN 'webform' THEN 1 WHEN 'email' THEN 2 WHEN 'letter' THEN 3 ELSE 4 END,
        -(3::bigint << 40) - org::integer,
        -(5::bigint << 40) - (day - date '2000-01-01')]
        || CASE WHEN event IS NULL THEN '{}'::bigint[] ELSE ARRAY[-(4::bigint << 40) - event] END
$$;

CREATE INDEX response_facts_keys_idx ON response_facts
    USING gin (heard_fact_keys(respondent_group_id, channel, org, event_id, day, answers));

ANALYZE response_facts;

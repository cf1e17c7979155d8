-- Filters that combine, at 1M responses (issue #12, speed).
--
-- 1. answer_pair_days: answer_pairs (migrations/000019) by received day.
-- One answer filter with received dates ("those who answered Not at all
-- to Q6a, received 8 to 12 January") matched about 86,000 of 1,000,000
-- bench responses, counted one by one from response_facts: 2.9 s a page.
-- Summed over the days of the range instead, it reads a few thousand
-- summary rows whatever the number of responses.
--
-- It is kept from response_facts (000028), not from answers: a
-- response_facts row is already exactly what a response counts for now
-- (its counted answers, group, channel, organisation and day, nothing
-- for a merged repeat or a withdrawn response), and every change to
-- responses or answers reaches it as an insert, a delete or an update
-- of that row. So one statement-level trigger on response_facts, adding
-- the pairs of the rows as they are and taking away the pairs of the
-- rows as they were, keeps the summary exact through loads, corrections,
-- merges, withdrawals and erasure, in the same transaction, sharded by
-- backend like the other summaries. Pairs are as in answer_pairs: each
-- closed or equality answer ("by") with each answer of the response and
-- with the response itself (question 0, option 0).
CREATE TABLE answer_pair_days (
    consultation_id     bigint NOT NULL,
    by_question_id      integer NOT NULL,
    by_option_id        integer NOT NULL,
    day                 date NOT NULL,
    question_id         integer NOT NULL,
    option_id           integer NOT NULL,
    respondent_group_id integer NOT NULL,
    channel             channel NOT NULL,
    org                 boolean NOT NULL,
    shard               smallint NOT NULL,
    n                   bigint NOT NULL,
    PRIMARY KEY (consultation_id, by_question_id, by_option_id, day, question_id, option_id, respondent_group_id, channel, org, shard)
) WITH (fillfactor = 70); -- room for HOT updates of n

CREATE FUNCTION heard_count_pair_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO answer_pair_days AS c
        SELECT f.consultation_id, (x / 4294967296)::integer, (x % 4294967296)::integer, f.day,
               (y / 4294967296)::integer, (y % 4294967296)::integer, f.respondent_group_id, f.channel, f.org,
               pg_backend_pid() % 8, count(*)
        FROM new_rows f, unnest(f.answers) x, unnest(f.answers || 0::bigint) y
        WHERE x % 4294967296 <> 0
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ON CONFLICT (consultation_id, by_question_id, by_option_id, day, question_id, option_id, respondent_group_id, channel, org, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO answer_pair_days AS c
        SELECT f.consultation_id, (x / 4294967296)::integer, (x % 4294967296)::integer, f.day,
               (y / 4294967296)::integer, (y % 4294967296)::integer, f.respondent_group_id, f.channel, f.org,
               pg_backend_pid() % 8, -count(*)
        FROM old_rows f, unnest(f.answers) x, unnest(f.answers || 0::bigint) y
        WHERE x % 4294967296 <> 0
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ON CONFLICT (consultation_id, by_question_id, by_option_id, day, question_id, option_id, respondent_group_id, channel, org, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        -- The rows as they are, less the rows as they were. On the load
        -- path the old row has no answers yet (the responses statement
        -- stores it empty), so this is the insert's work.
        INSERT INTO answer_pair_days AS c
        SELECT f.consultation_id, (x / 4294967296)::integer, (x % 4294967296)::integer, f.day,
               (y / 4294967296)::integer, (y % 4294967296)::integer, f.respondent_group_id, f.channel, f.org,
               pg_backend_pid() % 8, sum(f.d)
        FROM (SELECT 1 AS d, consultation_id, day, respondent_group_id, channel, org, answers FROM new_rows
              UNION ALL
              SELECT -1, consultation_id, day, respondent_group_id, channel, org, answers FROM old_rows) f,
             unnest(f.answers) x, unnest(f.answers || 0::bigint) y
        WHERE x % 4294967296 <> 0
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        HAVING sum(f.d) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ON CONFLICT (consultation_id, by_question_id, by_option_id, day, question_id, option_id, respondent_group_id, channel, org, shard)
        DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER response_facts_pair_days_insert AFTER INSERT ON response_facts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_pair_days();
CREATE TRIGGER response_facts_pair_days_delete AFTER DELETE ON response_facts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_pair_days();
CREATE TRIGGER response_facts_pair_days_update AFTER UPDATE ON response_facts
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_pair_days();

-- What is already stored.
INSERT INTO answer_pair_days (consultation_id, by_question_id, by_option_id, day, question_id, option_id, respondent_group_id, channel, org, shard, n)
SELECT f.consultation_id, (x / 4294967296)::integer, (x % 4294967296)::integer, f.day,
       (y / 4294967296)::integer, (y % 4294967296)::integer, f.respondent_group_id, f.channel, f.org, 0, count(*)
FROM response_facts f, unnest(f.answers) x, unnest(f.answers || 0::bigint) y
WHERE x % 4294967296 <> 0
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

-- 2. The answers of response_facts as a GIN index. Two or more answer
-- filters, or one with events or campaigns, are still counted response
-- by response; they found their responses through answers_option_idx
-- and one answers primary-key probe per filter and response (141,834
-- buffers for the 34,000 responses of two answers at 1M). The index
-- intersects the filters' posting lists instead and reads only the
-- matching response_facts rows (answers && '{…}' per filter).
CREATE INDEX response_facts_answers_idx ON response_facts USING gin (answers);

-- Loading responses into a large database (#15 speed): the answers
-- trigger that keeps answer_days (migration 000028) joined the statement's
-- new answers to responses for their day and organisation, and the
-- planner, told a batch of thousands of answers, hashed every response in
-- the database (a sequential scan of responses per statement, spilling to
-- disk at 1M). A load of 1,000 responses into a database holding
-- 1,000,000 others read all of them; a load of a million in batches of
-- 5,000 read the table 200 times, growing with it.
--
-- The responses are now probed by id (the statement's distinct response
-- ids as an array: one primary-key probe each, planned the same whatever
-- the table's size or statistics), the idiom of heard_uncoded_answers
-- (migration 000027). What is counted is unchanged.
CREATE OR REPLACE FUNCTION heard_count_answer_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Answers whose response is gone (deleted in this statement) are
    -- skipped by the join: the responses trigger counted them out.
    IF TG_OP = 'INSERT' THEN
        WITH r AS MATERIALIZED (
            SELECT r.id, r.received_at, r.on_behalf_of_org FROM responses r
            WHERE r.id = ANY (ARRAY(SELECT DISTINCT response_id FROM new_rows WHERE counted))
        )
        INSERT INTO answer_days AS c
        SELECT a.consultation_id, (r.received_at AT TIME ZONE 'Europe/London')::date, a.question_id, coalesce(a.option_id, 0),
               r.on_behalf_of_org, coalesce(a.respondent_group_id, 0), a.channel, pg_backend_pid() % 8, count(*)
        FROM new_rows a JOIN r ON r.id = a.response_id
        WHERE a.counted
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        WITH r AS MATERIALIZED (
            SELECT r.id, r.received_at, r.on_behalf_of_org FROM responses r
            WHERE r.id = ANY (ARRAY(SELECT DISTINCT response_id FROM old_rows WHERE counted))
        )
        INSERT INTO answer_days AS c
        SELECT a.consultation_id, (r.received_at AT TIME ZONE 'Europe/London')::date, a.question_id, coalesce(a.option_id, 0),
               r.on_behalf_of_org, coalesce(a.respondent_group_id, 0), a.channel, pg_backend_pid() % 8, -count(*)
        FROM old_rows a JOIN r ON r.id = a.response_id
        WHERE a.counted
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        WITH r AS MATERIALIZED (
            SELECT r.id, r.received_at, r.on_behalf_of_org FROM responses r
            WHERE r.id = ANY (ARRAY(SELECT response_id FROM new_rows WHERE counted
                                    UNION SELECT response_id FROM old_rows WHERE counted))
        )
        INSERT INTO answer_days AS c
        SELECT k.consultation_id, k.day, k.question_id, k.option_id, k.org, k.g, k.channel, pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT a.consultation_id, (r.received_at AT TIME ZONE 'Europe/London')::date AS day, a.question_id,
                   coalesce(a.option_id, 0) AS option_id, r.on_behalf_of_org AS org, coalesce(a.respondent_group_id, 0) AS g,
                   a.channel, 1 AS d
            FROM new_rows a JOIN r ON r.id = a.response_id WHERE a.counted
            UNION ALL
            SELECT a.consultation_id, (r.received_at AT TIME ZONE 'Europe/London')::date, a.question_id,
                   coalesce(a.option_id, 0), r.on_behalf_of_org, coalesce(a.respondent_group_id, 0), a.channel, -1
            FROM old_rows a JOIN r ON r.id = a.response_id WHERE a.counted
        ) k
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        HAVING sum(k.d) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

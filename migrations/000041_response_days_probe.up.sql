-- Moving many responses' received dates (or organisation) at 1,000,000
-- responses (README "Speed of detection"). The answer_days trigger on
-- responses (000028, run through EXECUTE since 000040) moves the answers
-- of each response whose day or organisation changed. The planner cannot
-- tell that new_rows and old_rows pair one to one: for 10,000 responses
-- it expected 500,000 changed rows from their join, and so hashed every
-- answer in the database to join them (a sequential scan of 17 million
-- answers spilling to disk: 23 s of a 28-36 s statement). The answers are
-- now probed by response id (the changed responses' ids as an array: one
-- range of the answers primary key each), the idiom of 000036's
-- answer_days trigger on answers. With nothing changed but a flag (many
-- responses withdrawn or merged) the array is empty and no answer is
-- read; the old plan read none either, but its cost of millions had JIT
-- compile it (0.9 s).
--
-- What is counted is unchanged: the same rows, out of where they were
-- and into where they are now.
CREATE OR REPLACE FUNCTION heard_count_response_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO answer_days AS c
        SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, 0, 0, on_behalf_of_org,
               coalesce(respondent_group_id, 0), channel, pg_backend_pid() % 8, count(*)
        FROM new_rows
        WHERE merged_into IS NULL AND NOT withdrawn
        GROUP BY 1, 2, 5, 6, 7
        ORDER BY 1, 2, 5, 6, 7
        ON CONFLICT (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO answer_days AS c
        SELECT k.consultation_id, k.day, k.q, k.o, k.org, k.g, k.channel, pg_backend_pid() % 8, -count(*)
        FROM (
            SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date AS day, 0 AS q, 0 AS o, on_behalf_of_org AS org,
                   coalesce(respondent_group_id, 0) AS g, channel
            FROM old_rows WHERE merged_into IS NULL AND NOT withdrawn
            UNION ALL
            SELECT a.consultation_id, (o.received_at AT TIME ZONE 'Europe/London')::date, a.question_id, coalesce(a.option_id, 0),
                   o.on_behalf_of_org, coalesce(a.respondent_group_id, 0), a.channel
            FROM answers a JOIN old_rows o ON a.response_id = o.id AND a.counted
        ) k
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        -- Joins new_rows to old_rows: planned for the rows at hand (000040).
        -- The answers of the responses whose day or organisation changed
        -- are probed by response id (000041), whatever the planner
        -- expects of that join.
        EXECUTE $q$WITH ch AS MATERIALIZED (
            SELECT n.id, n.received_at AS now_at, n.on_behalf_of_org AS now_org,
                   o.received_at AS was_at, o.on_behalf_of_org AS was_org
            FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.received_at, n.on_behalf_of_org) IS DISTINCT FROM (o.received_at, o.on_behalf_of_org)
        ), a AS MATERIALIZED (
            SELECT a.response_id, a.consultation_id, a.question_id, a.option_id, a.respondent_group_id, a.channel
            FROM answers a
            WHERE a.response_id = ANY (ARRAY(SELECT id FROM ch)) AND a.counted
        )
        INSERT INTO answer_days AS c
        SELECT k.consultation_id, k.day, k.q, k.o, k.org, k.g, k.channel, pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date AS day, 0 AS q, 0 AS o, on_behalf_of_org AS org,
                   coalesce(respondent_group_id, 0) AS g, channel, 1 AS d
            FROM new_rows WHERE merged_into IS NULL AND NOT withdrawn
            UNION ALL
            SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, 0, 0, on_behalf_of_org,
                   coalesce(respondent_group_id, 0), channel, -1
            FROM old_rows WHERE merged_into IS NULL AND NOT withdrawn
            UNION ALL
            -- Answers of responses whose day or organisation changed:
            -- out of where they were, into where they are now (with the
            -- group and channel they carry at this point).
            SELECT a.consultation_id, (s.at AT TIME ZONE 'Europe/London')::date, a.question_id, coalesce(a.option_id, 0), s.org,
                   coalesce(a.respondent_group_id, 0), a.channel, s.d
            FROM a JOIN ch ON ch.id = a.response_id
            CROSS JOIN LATERAL (VALUES (1, ch.now_at, ch.now_org), (-1, ch.was_at, ch.was_org)) s(d, at, org)
        ) k
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        HAVING sum(k.d) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n$q$;
    END IF;
    RETURN NULL;
END;
$$;

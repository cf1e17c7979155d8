-- Back to migration 000028's answer_days trigger (a hash join over responses).
CREATE OR REPLACE FUNCTION heard_count_answer_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Answers whose response is gone (deleted in this statement) are
    -- skipped by the join: the responses trigger below counted them out.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO answer_days AS c
        SELECT a.consultation_id, (r.received_at AT TIME ZONE 'Europe/London')::date, a.question_id, coalesce(a.option_id, 0),
               r.on_behalf_of_org, coalesce(a.respondent_group_id, 0), a.channel, pg_backend_pid() % 8, count(*)
        FROM new_rows a JOIN responses r ON r.id = a.response_id
        WHERE a.counted
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO answer_days AS c
        SELECT a.consultation_id, (r.received_at AT TIME ZONE 'Europe/London')::date, a.question_id, coalesce(a.option_id, 0),
               r.on_behalf_of_org, coalesce(a.respondent_group_id, 0), a.channel, pg_backend_pid() % 8, -count(*)
        FROM old_rows a JOIN responses r ON r.id = a.response_id
        WHERE a.counted
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO answer_days AS c
        SELECT k.consultation_id, k.day, k.question_id, k.option_id, k.org, k.g, k.channel, pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT a.consultation_id, (r.received_at AT TIME ZONE 'Europe/London')::date AS day, a.question_id,
                   coalesce(a.option_id, 0) AS option_id, r.on_behalf_of_org AS org, coalesce(a.respondent_group_id, 0) AS g,
                   a.channel, 1 AS d
            FROM new_rows a JOIN responses r ON r.id = a.response_id WHERE a.counted
            UNION ALL
            SELECT a.consultation_id, (r.received_at AT TIME ZONE 'Europe/London')::date, a.question_id,
                   coalesce(a.option_id, 0), r.on_behalf_of_org, coalesce(a.respondent_group_id, 0), a.channel, -1
            FROM old_rows a JOIN responses r ON r.id = a.response_id WHERE a.counted
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

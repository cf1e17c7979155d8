-- Back to migration 000040's answer_days trigger on responses (a join of the
-- changed responses to every answer, planned as the planner sees fit).
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
        EXECUTE $q$INSERT INTO answer_days AS c
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
            SELECT a.consultation_id, x.day, a.question_id, coalesce(a.option_id, 0), x.org,
                   coalesce(a.respondent_group_id, 0), a.channel, x.d
            FROM (
                SELECT n.id, 1 AS d, (n.received_at AT TIME ZONE 'Europe/London')::date AS day, n.on_behalf_of_org AS org
                FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE (n.received_at, n.on_behalf_of_org) IS DISTINCT FROM (o.received_at, o.on_behalf_of_org)
                UNION ALL
                SELECT o.id, -1, (o.received_at AT TIME ZONE 'Europe/London')::date, o.on_behalf_of_org
                FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE (n.received_at, n.on_behalf_of_org) IS DISTINCT FROM (o.received_at, o.on_behalf_of_org)
            ) x
            JOIN answers a ON a.response_id = x.id AND a.counted
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

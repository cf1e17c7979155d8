-- The trigger bodies as 000025, 000028 and 000027 left them.

CREATE OR REPLACE FUNCTION heard_count_response_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        WITH st AS (
            SELECT -1 AS d, a.consultation_id, a.response_id, a.question_id, a.option_id, a.respondent_group_id, a.channel,
                   o.on_behalf_of_org AS org
            FROM answers a JOIN old_rows o ON a.response_id = o.id AND a.counted
        )
        INSERT INTO answer_pairs AS c
        SELECT x.consultation_id, x.question_id, x.option_id, y.q, y.o, coalesce(x.respondent_group_id, 0), x.channel, x.org,
               pg_backend_pid() % 8, sum(x.d)
        FROM st x
        JOIN (SELECT response_id, question_id AS q, coalesce(option_id, 0) AS o FROM st
              UNION ALL SELECT DISTINCT response_id, 0, 0 FROM st) y ON y.response_id = x.response_id
        WHERE x.option_id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT (consultation_id, by_question_id, by_option_id, question_id, option_id, respondent_group_id, channel, org, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        WITH ch AS (
            SELECT n.id, o.on_behalf_of_org AS was, n.on_behalf_of_org AS now
            FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.on_behalf_of_org <> o.on_behalf_of_org
        ), st AS (
            SELECT s.d, a.consultation_id, a.response_id, a.question_id, a.option_id, a.respondent_group_id, a.channel,
                   CASE WHEN s.d = 1 THEN ch.now ELSE ch.was END AS org
            FROM answers a JOIN ch ON a.response_id = ch.id AND a.counted CROSS JOIN (VALUES (1), (-1)) s(d)
        )
        INSERT INTO answer_pairs AS c
        SELECT x.consultation_id, x.question_id, x.option_id, y.q, y.o, coalesce(x.respondent_group_id, 0), x.channel, x.org,
               pg_backend_pid() % 8, sum(x.d)
        FROM st x
        JOIN (SELECT d, response_id, question_id AS q, coalesce(option_id, 0) AS o FROM st
              UNION ALL SELECT DISTINCT d, response_id, 0, 0 FROM st) y ON y.response_id = x.response_id AND y.d = x.d
        WHERE x.option_id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        HAVING sum(x.d) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT (consultation_id, by_question_id, by_option_id, question_id, option_id, respondent_group_id, channel, org, shard)
        DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

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
        DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION heard_facts_responses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- The answers usually follow in the next statement (or come in
        -- the same one, whose answers trigger may have run first).
        INSERT INTO response_facts (response_id, consultation_id, respondent_group_id, channel, org, event_id, day, answers)
        SELECT id, consultation_id, coalesce(respondent_group_id, 0), channel, on_behalf_of_org, event_id,
               (received_at AT TIME ZONE 'Europe/London')::date, '{}'
        FROM new_rows
        WHERE merged_into IS NULL AND NOT withdrawn
        ON CONFLICT (response_id) DO NOTHING;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM response_facts f USING old_rows o WHERE f.response_id = o.id;
    ELSE
        PERFORM heard_refresh_facts(array_agg(n.id))
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.respondent_group_id, n.channel, n.on_behalf_of_org, n.event_id, n.received_at, n.merged_into, n.withdrawn)
              IS DISTINCT FROM (o.respondent_group_id, o.channel, o.on_behalf_of_org, o.event_id, o.received_at, o.merged_into, o.withdrawn)
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION heard_uncoded_states() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lk text;
    lq integer[];
    lat timestamptz[];
    lid bigint[];
    rq integer[];
    rat timestamptz[];
    rid bigint[];
BEGIN
    FOREACH lk IN ARRAY ARRAY['uncoded', 'nocode'] LOOP
        IF TG_OP = 'INSERT' THEN
            SELECT NULL, NULL, NULL, array_agg(n.question_id), array_agg(r.received_at), array_agg(n.response_id)
            INTO lq, lat, lid, rq, rat, rid
            FROM new_rows n
            JOIN answers a ON a.response_id = n.response_id AND a.question_id = n.question_id AND a.text IS NOT NULL AND a.counted
            JOIN responses r ON r.id = n.response_id
            WHERE n.segment_id IS NULL AND heard_uncoded_done(lk, n.coded, n.code_count);
        ELSIF TG_OP = 'DELETE' THEN
            SELECT array_agg(o.question_id), array_agg(r.received_at), array_agg(o.response_id), NULL, NULL, NULL
            INTO lq, lat, lid, rq, rat, rid
            FROM old_rows o
            JOIN answers a ON a.response_id = o.response_id AND a.question_id = o.question_id AND a.text IS NOT NULL AND a.counted
            JOIN responses r ON r.id = o.response_id
            WHERE o.segment_id IS NULL AND heard_uncoded_done(lk, o.coded, o.code_count);
        ELSE
            WITH ch AS (
                SELECT n.question_id, n.response_id, heard_uncoded_done(lk, n.coded, n.code_count) AS done
                FROM new_rows n JOIN old_rows o ON o.question_id = n.question_id AND o.response_id = n.response_id
                WHERE n.segment_id IS NULL AND o.segment_id IS NULL
                  AND heard_uncoded_done(lk, n.coded, n.code_count) <> heard_uncoded_done(lk, o.coded, o.code_count)
            )
            SELECT array_agg(ch.question_id) FILTER (WHERE NOT ch.done), array_agg(r.received_at) FILTER (WHERE NOT ch.done),
                   array_agg(ch.response_id) FILTER (WHERE NOT ch.done),
                   array_agg(ch.question_id) FILTER (WHERE ch.done), array_agg(r.received_at) FILTER (WHERE ch.done),
                   array_agg(ch.response_id) FILTER (WHERE ch.done)
            INTO lq, lat, lid, rq, rat, rid
            FROM ch
            JOIN answers a ON a.response_id = ch.response_id AND a.question_id = ch.question_id AND a.text IS NOT NULL AND a.counted
            JOIN responses r ON r.id = ch.response_id;
        END IF;
        IF lq IS NOT NULL THEN
            PERFORM heard_uncoded_lower(lk, lq, lat, lid);
        END IF;
        IF rq IS NOT NULL THEN
            PERFORM heard_uncoded_walk(lk, rq, rat, rid, true);
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

DROP FUNCTION heard_counted(responses);

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


-- Back to migration 000025's answer_pairs trigger and 000027's uncoded one.
CREATE OR REPLACE FUNCTION heard_count_answer_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Answers of responses deleted in the same statement are skipped
    -- (the join to responses): the responses trigger below counted them
    -- out.
    IF TG_OP = 'INSERT' THEN
        -- What an insert adds: the pairs with a new answer on either side.
        WITH r AS (
            SELECT r.id, r.on_behalf_of_org AS org FROM responses r
            WHERE r.id IN (SELECT DISTINCT response_id FROM new_rows)
        ), cur AS (
            SELECT a.consultation_id, a.response_id, a.question_id, a.option_id, a.respondent_group_id, a.channel, r.org,
                   n.response_id IS NOT NULL AS fresh
            FROM answers a JOIN r ON a.response_id = r.id AND a.counted
            LEFT JOIN new_rows n ON n.response_id = a.response_id AND n.question_id = a.question_id
        )
        INSERT INTO answer_pairs AS c
        SELECT x.consultation_id, x.question_id, x.option_id, y.q, y.o, coalesce(x.respondent_group_id, 0), x.channel, x.org,
               pg_backend_pid() % 8, count(*)
        FROM cur x
        JOIN (SELECT response_id, question_id AS q, coalesce(option_id, 0) AS o, fresh FROM cur
              UNION ALL SELECT DISTINCT response_id, 0, 0, false FROM cur) y
          ON y.response_id = x.response_id AND (x.fresh OR y.fresh)
        WHERE x.option_id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT (consultation_id, by_question_id, by_option_id, question_id, option_id, respondent_group_id, channel, org, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        -- What a delete takes away: the pairs, as they were, with a
        -- deleted answer on either side.
        WITH r AS (
            SELECT r.id, r.on_behalf_of_org AS org FROM responses r
            WHERE r.id IN (SELECT DISTINCT response_id FROM old_rows)
        ), bef AS (
            SELECT a.consultation_id, a.response_id, a.question_id, a.option_id, a.respondent_group_id, a.channel, r.org, false AS gone
            FROM answers a JOIN r ON a.response_id = r.id AND a.counted
            UNION ALL
            SELECT o.consultation_id, o.response_id, o.question_id, o.option_id, o.respondent_group_id, o.channel, r.org, true
            FROM old_rows o JOIN r ON o.response_id = r.id AND o.counted
        )
        INSERT INTO answer_pairs AS c
        SELECT x.consultation_id, x.question_id, x.option_id, y.q, y.o, coalesce(x.respondent_group_id, 0), x.channel, x.org,
               pg_backend_pid() % 8, -count(*)
        FROM bef x
        JOIN (SELECT response_id, question_id AS q, coalesce(option_id, 0) AS o, gone FROM bef
              UNION ALL SELECT DISTINCT response_id, 0, 0, false FROM bef) y
          ON y.response_id = x.response_id AND (x.gone OR y.gone)
        WHERE x.option_id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT (consultation_id, by_question_id, by_option_id, question_id, option_id, respondent_group_id, channel, org, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        -- A correction (rare): the touched responses' pairs now, less
        -- their pairs before (now without the new rows, plus the old).
        WITH r AS (
            SELECT r.id, r.on_behalf_of_org AS org FROM responses r
            WHERE r.id IN (SELECT response_id FROM new_rows UNION SELECT response_id FROM old_rows)
        ), cur AS (
            SELECT a.consultation_id, a.response_id, a.question_id, a.option_id, a.respondent_group_id, a.channel, r.org
            FROM answers a JOIN r ON a.response_id = r.id AND a.counted
        ), st AS (
            SELECT 1 AS d, c.* FROM cur c
            UNION ALL
            SELECT -1, c.* FROM cur c
            WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.response_id = c.response_id AND n.question_id = c.question_id)
            UNION ALL
            SELECT -1, o.consultation_id, o.response_id, o.question_id, o.option_id, o.respondent_group_id, o.channel, r.org
            FROM old_rows o JOIN r ON o.response_id = r.id AND o.counted
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

CREATE OR REPLACE FUNCTION heard_uncoded_answers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lq integer[];
    lat timestamptz[];
    lid bigint[];
    rq integer[];
    lk text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- One probe per response, not per answer, and per question only
        -- the earliest: a bulk load inserts thousands of answers per
        -- statement, all after the values (a no-op below).
        WITH rs AS MATERIALIZED (
            SELECT r.id, r.received_at FROM responses r
            WHERE r.id = ANY (ARRAY(SELECT DISTINCT response_id FROM new_rows WHERE text IS NOT NULL AND counted))
        )
        SELECT array_agg(m.question_id), array_agg(m.at), array_agg(m.id) INTO lq, lat, lid
        FROM (SELECT n.question_id, min(rs.received_at) AS at, min(n.response_id) AS id
              FROM new_rows n JOIN rs ON rs.id = n.response_id
              WHERE n.text IS NOT NULL AND n.counted
              GROUP BY n.question_id) m
        WHERE EXISTS (SELECT 1 FROM (VALUES ('uncoded'), ('nocode')) v(kind)
                      LEFT JOIN uncoded_from u ON u.question_id = m.question_id AND u.kind = v.kind
                      WHERE u.received_at IS NULL OR m.at < u.received_at OR m.id < u.response_id);
    ELSIF TG_OP = 'DELETE' THEN
        -- The response may be gone already (its trigger deletes answers):
        -- recompute every question that lost a listable answer.
        SELECT array_agg(DISTINCT question_id) INTO rq FROM old_rows WHERE text IS NOT NULL AND counted;
    ELSE
        WITH ch AS (
            SELECT n.question_id, n.response_id,
                   (o.text IS NOT NULL AND o.counted) AS was, (n.text IS NOT NULL AND n.counted) AS is
            FROM new_rows n JOIN old_rows o ON o.response_id = n.response_id AND o.question_id = n.question_id
            WHERE (o.text IS NOT NULL AND o.counted) <> (n.text IS NOT NULL AND n.counted)
        )
        SELECT array_agg(ch.question_id) FILTER (WHERE ch.is), array_agg(r.received_at) FILTER (WHERE ch.is),
               array_agg(ch.response_id) FILTER (WHERE ch.is), array_agg(DISTINCT ch.question_id) FILTER (WHERE ch.was)
        INTO lq, lat, lid, rq
        FROM ch JOIN responses r ON r.id = ch.response_id;
    END IF;
    FOREACH lk IN ARRAY ARRAY['uncoded', 'nocode'] LOOP
        IF lq IS NOT NULL THEN
            PERFORM heard_uncoded_walk(lk, lq, lat, lid, false);
        END IF;
        IF rq IS NOT NULL THEN
            PERFORM heard_uncoded_walk(lk, rq, array_fill('-infinity'::timestamptz, ARRAY[cardinality(rq)]),
                                       array_fill(0::bigint, ARRAY[cardinality(rq)]), true);
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

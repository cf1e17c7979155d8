-- Counted once. Three branches added three ways for a row to stop
-- counting, each written before the others existed:
-- * answer_pairs (000019) counted every answer; it now counts only
--   answers.counted ones, which 000021 keeps false for a merged repeat,
--   so the compare page and answer filters leave merged repeats out like
--   every other figure (a merge or unmerge updates answers.counted, and
--   the UPDATE branch of the answers trigger recomputes those pairs).
-- * heard_uncount_withdrawn (000022) corrected response_counts and
--   response_days for withdrawn rows on the assumption that the
--   foundation's triggers had counted them; since 000021 those triggers
--   skip merged repeats, so a response both merged and withdrawn was
--   taken away twice. It now corrects only rows that are not merged.

CREATE OR REPLACE FUNCTION heard_uncount_withdrawn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO response_counts AS c
        SELECT consultation_id, coalesce(respondent_group_id, 0), channel, pg_backend_pid() % 8, count(*)
        FROM old_rows WHERE withdrawn AND merged_into IS NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, respondent_group_id, channel, shard) DO UPDATE SET n = c.n + excluded.n;
        INSERT INTO response_days AS c
        SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, count(*)
        FROM old_rows WHERE withdrawn AND merged_into IS NULL
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (consultation_id, day, respondent_group_id, channel, shard) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO response_counts AS c
        SELECT k.consultation_id, k.g, k.channel, pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT consultation_id, coalesce(respondent_group_id, 0) AS g, channel, -1 AS d FROM new_rows WHERE withdrawn AND merged_into IS NULL
            UNION ALL
            SELECT consultation_id, coalesce(respondent_group_id, 0), channel, 1 FROM old_rows WHERE withdrawn AND merged_into IS NULL
        ) k
        GROUP BY 1, 2, 3 HAVING sum(k.d) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, respondent_group_id, channel, shard) DO UPDATE SET n = c.n + excluded.n;
        INSERT INTO response_days AS c
        SELECT k.consultation_id, k.day, k.g, k.channel, pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date AS day,
                   coalesce(respondent_group_id, 0) AS g, channel, -1 AS d
            FROM new_rows WHERE withdrawn AND merged_into IS NULL
            UNION ALL
            SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date,
                   coalesce(respondent_group_id, 0), channel, 1
            FROM old_rows WHERE withdrawn AND merged_into IS NULL
        ) k
        GROUP BY 1, 2, 3, 4 HAVING sum(k.d) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (consultation_id, day, respondent_group_id, channel, shard) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

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

-- Rebuild the pair summary from the answers as they are now counted.
TRUNCATE answer_pairs;
INSERT INTO answer_pairs (consultation_id, by_question_id, by_option_id, question_id, option_id, respondent_group_id, channel, org, shard, n)
SELECT x.consultation_id, x.question_id, x.option_id, y.q, y.o, coalesce(x.respondent_group_id, 0), x.channel, r.on_behalf_of_org, 0, count(*)
FROM answers x
JOIN responses r ON r.id = x.response_id
JOIN (SELECT response_id, question_id AS q, coalesce(option_id, 0) AS o FROM answers WHERE counted
      UNION ALL SELECT id, 0, 0 FROM responses) y ON y.response_id = x.response_id
WHERE x.option_id IS NOT NULL AND x.counted
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

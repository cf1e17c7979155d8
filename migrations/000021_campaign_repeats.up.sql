-- Merged repeats leave every count (#15). A response an analyst merges
-- into the one it repeats stays stored, linked by merged_into, and the
-- summary tables kept by triggers (migrations 000001, 000009, 000010)
-- stop counting it and its answers and codes; unmerging (merged_into set
-- back to NULL) counts them again. Queries that count from the raw tables
-- leave out responses with merged_into set.
ALTER TABLE responses ADD COLUMN merged_into bigint REFERENCES responses (id) ON DELETE SET NULL;
CREATE INDEX responses_merged_idx ON responses (merged_into) WHERE merged_into IS NOT NULL;

-- Copies of "the response counts", kept in step with merged_into by the
-- trigger on responses, so the count triggers never join responses (a
-- cascade delete has already removed the response when they run).
ALTER TABLE answers ADD COLUMN counted boolean NOT NULL DEFAULT true;
ALTER TABLE unit_codes ADD COLUMN counted boolean NOT NULL DEFAULT true;

CREATE OR REPLACE FUNCTION heard_count_responses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO response_counts AS c
        SELECT consultation_id, coalesce(respondent_group_id, 0), channel, pg_backend_pid() % 8, count(*)
        FROM new_rows
        WHERE merged_into IS NULL
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        -- answers has no foreign key (see migrations/000001): remove a
        -- deleted response's answers here, which also corrects answer_counts.
        DELETE FROM answers a USING old_rows o WHERE a.response_id = o.id;
        INSERT INTO response_counts AS c
        SELECT consultation_id, coalesce(respondent_group_id, 0), channel, pg_backend_pid() % 8, -count(*)
        FROM old_rows
        WHERE merged_into IS NULL
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        -- Keep the copies on answers in step; that update corrects
        -- answer_counts through the answers trigger.
        UPDATE answers a
        SET channel = n.channel, respondent_group_id = n.respondent_group_id, counted = n.merged_into IS NULL
        FROM new_rows n
        WHERE a.response_id = n.id
          AND (a.channel, a.respondent_group_id, a.counted) IS DISTINCT FROM (n.channel, n.respondent_group_id, n.merged_into IS NULL);
        INSERT INTO response_counts AS c
        SELECT k.consultation_id, k.g, k.channel, pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT consultation_id, coalesce(respondent_group_id, 0) AS g, channel, 1 AS d FROM new_rows WHERE merged_into IS NULL
            UNION ALL
            SELECT consultation_id, coalesce(respondent_group_id, 0), channel, -1 FROM old_rows WHERE merged_into IS NULL
        ) k
        GROUP BY 1, 2, 3
        HAVING sum(k.d) <> 0
        ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION heard_count_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO answer_counts AS c
        SELECT consultation_id, question_id, coalesce(option_id, 0), coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, count(*)
        FROM new_rows
        WHERE counted
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (consultation_id, question_id, option_id, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO answer_counts AS c
        SELECT consultation_id, question_id, coalesce(option_id, 0), coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, -count(*)
        FROM old_rows
        WHERE counted
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (consultation_id, question_id, option_id, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO answer_counts AS c
        SELECT k.consultation_id, k.question_id, k.option_id, k.respondent_group_id, k.channel,
               pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT consultation_id, question_id, coalesce(option_id, 0) AS option_id,
                   coalesce(respondent_group_id, 0) AS respondent_group_id, channel, 1 AS d
            FROM new_rows WHERE counted
            UNION ALL
            SELECT consultation_id, question_id, coalesce(option_id, 0),
                   coalesce(respondent_group_id, 0), channel, -1
            FROM old_rows WHERE counted
        ) k
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(k.d) <> 0
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (consultation_id, question_id, option_id, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION heard_count_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO response_days AS c
        SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, count(*)
        FROM new_rows
        WHERE merged_into IS NULL
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (consultation_id, day, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO response_days AS c
        SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, -count(*)
        FROM old_rows
        WHERE merged_into IS NULL
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (consultation_id, day, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO response_days AS c
        SELECT k.consultation_id, k.day, k.g, k.channel, pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date AS day,
                   coalesce(respondent_group_id, 0) AS g, channel, 1 AS d
            FROM new_rows WHERE merged_into IS NULL
            UNION ALL
            SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date,
                   coalesce(respondent_group_id, 0), channel, -1
            FROM old_rows WHERE merged_into IS NULL
        ) k
        GROUP BY 1, 2, 3, 4
        HAVING sum(k.d) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (consultation_id, day, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION heard_count_codes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO code_counts AS c
        SELECT consultation_id, code_id, segment_id IS NOT NULL, position, coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, count(*)
        FROM new_rows
        WHERE counted
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (consultation_id, code_id, segment, position, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO code_counts AS c
        SELECT consultation_id, code_id, segment_id IS NOT NULL, position, coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, -count(*)
        FROM old_rows
        WHERE counted
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (consultation_id, code_id, segment, position, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO code_counts AS c
        SELECT k.consultation_id, k.code_id, k.segment, k.position, k.g, k.channel,
               pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT consultation_id, code_id, segment_id IS NOT NULL AS segment, position,
                   coalesce(respondent_group_id, 0) AS g, channel, 1 AS d
            FROM new_rows WHERE counted
            UNION ALL
            SELECT consultation_id, code_id, segment_id IS NOT NULL, position,
                   coalesce(respondent_group_id, 0), channel, -1
            FROM old_rows WHERE counted
        ) k
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING sum(k.d) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (consultation_id, code_id, segment, position, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION heard_unit_codes_follow_response() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unit_codes u
    SET channel = n.channel, respondent_group_id = n.respondent_group_id, counted = n.merged_into IS NULL
    FROM new_rows n
    WHERE u.response_id = n.id
      AND (u.channel, u.respondent_group_id, u.counted) IS DISTINCT FROM (n.channel, n.respondent_group_id, n.merged_into IS NULL);
    RETURN NULL;
END;
$$;

-- A code given to a merged repeat is stored but not counted.
CREATE FUNCTION heard_unit_codes_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.counted := NOT EXISTS (SELECT 1 FROM responses r WHERE r.id = NEW.response_id AND r.merged_into IS NOT NULL);
    RETURN NEW;
END;
$$;
CREATE TRIGGER unit_codes_counted BEFORE INSERT ON unit_codes
    FOR EACH ROW EXECUTE FUNCTION heard_unit_codes_counted();

-- Counting each campaign once keeps its first member that still counts.
CREATE OR REPLACE FUNCTION heard_campaign_dropped(cid bigint, mode text) RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
    SELECT m.response_id
    FROM campaign_members m
    JOIN (SELECT c.id, min(k.response_id) FILTER (WHERE r.merged_into IS NULL) AS keep
          FROM campaigns c
          JOIN campaign_members k ON k.campaign_id = c.id AND NOT k.removed
          JOIN responses r ON r.id = k.response_id
          WHERE c.consultation_id = cid AND c.status <> 'dismissed' AND mode <> ''
          GROUP BY c.id
          HAVING count(*) >= coalesce((SELECT s.min_members FROM campaign_settings s WHERE s.consultation_id = cid), 5)
         ) big ON big.id = m.campaign_id
    WHERE NOT m.removed AND (mode = 'exclude' OR m.response_id IS DISTINCT FROM big.keep)
$$;

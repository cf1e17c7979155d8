-- Answers crossed with answers (issue #12, speed): for every response,
-- each closed or equality-monitoring answer it gives ("by") paired with
-- each answer it gives (closed, equality or open; option 0 for open
-- text) and with the response itself (question 0), counted per group,
-- channel and organisation-or-individual. It lets the compare page
-- (a closed question by organisation and by each equality question) and
-- the common combined filters ("those who answered Not at all to Q6a",
-- with groups, channels, organisations) read a summary instead of
-- counting responses one by one.
--
-- Kept exact like answer_counts (migrations/000001): statement-level
-- triggers with transition tables, in the same transaction, sharded by
-- backend. For the responses a statement touches, the triggers add the
-- pairs of their answers as they are now and subtract the pairs as they
-- were, so inserts, deletes and corrections all come out right.
-- Group and channel are the answer's copies; organisation is read from
-- the response, and changes to it are counted by the responses trigger.
CREATE TABLE answer_pairs (
    consultation_id     bigint NOT NULL,
    by_question_id      integer NOT NULL,
    by_option_id        integer NOT NULL,
    question_id         integer NOT NULL,
    option_id           integer NOT NULL,
    respondent_group_id integer NOT NULL,
    channel             channel NOT NULL,
    org                 boolean NOT NULL,
    shard               smallint NOT NULL,
    n                   bigint NOT NULL,
    PRIMARY KEY (consultation_id, by_question_id, by_option_id, question_id, option_id, respondent_group_id, channel, org, shard)
) WITH (fillfactor = 70); -- room for HOT updates of n: the upserts then leave the indexes alone
-- The compare page reads one question against every "by" question.
CREATE INDEX answer_pairs_question_idx ON answer_pairs (consultation_id, question_id, by_question_id);

CREATE FUNCTION heard_count_answer_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
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
            FROM answers a JOIN r ON a.response_id = r.id
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
            FROM answers a JOIN r ON a.response_id = r.id
            UNION ALL
            SELECT o.consultation_id, o.response_id, o.question_id, o.option_id, o.respondent_group_id, o.channel, r.org, true
            FROM old_rows o JOIN r ON o.response_id = r.id
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
            FROM answers a JOIN r ON a.response_id = r.id
        ), st AS (
            SELECT 1 AS d, c.* FROM cur c
            UNION ALL
            SELECT -1, c.* FROM cur c
            WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.response_id = c.response_id AND n.question_id = c.question_id)
            UNION ALL
            SELECT -1, o.consultation_id, o.response_id, o.question_id, o.option_id, o.respondent_group_id, o.channel, r.org
            FROM old_rows o JOIN r ON o.response_id = r.id
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

CREATE TRIGGER answers_pairs_insert AFTER INSERT ON answers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_answer_pairs();
CREATE TRIGGER answers_pairs_delete AFTER DELETE ON answers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_answer_pairs();
CREATE TRIGGER answers_pairs_update AFTER UPDATE ON answers
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_answer_pairs();

-- A deleted response's pairs, and a response's pairs when it changes
-- between organisation and individual. These triggers are named to fire
-- before responses_count_* (triggers fire in name order): the answers are
-- still there, with the group and channel they were counted under.
CREATE FUNCTION heard_count_response_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        WITH st AS (
            SELECT -1 AS d, a.consultation_id, a.response_id, a.question_id, a.option_id, a.respondent_group_id, a.channel,
                   o.on_behalf_of_org AS org
            FROM answers a JOIN old_rows o ON a.response_id = o.id
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
            FROM answers a JOIN ch ON a.response_id = ch.id CROSS JOIN (VALUES (1), (-1)) s(d)
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

CREATE TRIGGER responses_answer_pairs_delete AFTER DELETE ON responses
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_response_pairs();
CREATE TRIGGER responses_answer_pairs_update AFTER UPDATE ON responses
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_response_pairs();

-- Answers already stored.
INSERT INTO answer_pairs (consultation_id, by_question_id, by_option_id, question_id, option_id, respondent_group_id, channel, org, shard, n)
SELECT x.consultation_id, x.question_id, x.option_id, y.q, y.o, coalesce(x.respondent_group_id, 0), x.channel, r.on_behalf_of_org, 0, count(*)
FROM answers x
JOIN responses r ON r.id = x.response_id
JOIN (SELECT response_id, question_id AS q, coalesce(option_id, 0) AS o FROM answers
      UNION ALL SELECT id, 0, 0 FROM responses) y ON y.response_id = x.response_id
WHERE x.option_id IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

-- Counts by received day and by organisation or individual (issue #12,
-- speed with filters). answer_counts and response_counts (000001) keep
-- group and channel only, so "organisations only" and received-date
-- ranges were counted response by response (seconds at 1M). answer_days
-- keeps the same cells with two more keys, the day the response was
-- received (London time, as response_days) and whether it was sent on
-- behalf of an organisation: every answer of a response (option 0 for
-- open text, like answer_counts) and the response itself (question 0).
-- A page filtered by organisation or individual, by received dates, or
-- both (with groups and channels) sums its rows; the timeline under those
-- filters, or under one answer ("responses per day from those who
-- answered Not at all to Q6a"), reads them per day.
--
-- What counts is what the other summaries count: answers with
-- answers.counted (not a merged repeat's), responses neither merged nor
-- withdrawn. Kept exact like answer_pairs (000019): statement-level
-- triggers with transition tables in the same transaction, sharded by
-- backend. Day and organisation live on the response, so the answers
-- triggers read them there; the responses triggers count the responses
-- themselves, and move a response's answers when its day or organisation
-- changes or it is deleted. Those are named to fire before
-- responses_count_* (triggers fire in name order), while the answers
-- still carry the group and channel they were counted under.
CREATE TABLE answer_days (
    consultation_id     bigint NOT NULL,
    day                 date NOT NULL,
    question_id         integer NOT NULL,
    option_id           integer NOT NULL,
    org                 boolean NOT NULL,
    respondent_group_id integer NOT NULL,
    channel             channel NOT NULL,
    shard               smallint NOT NULL,
    n                   bigint NOT NULL,
    PRIMARY KEY (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard)
) WITH (fillfactor = 70); -- room for HOT updates of n, as answer_pairs
-- The timeline under one answer reads one question's options, every day.
CREATE INDEX answer_days_question_idx ON answer_days (consultation_id, question_id, option_id, day);

CREATE FUNCTION heard_count_answer_days() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER answers_days_insert AFTER INSERT ON answers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_answer_days();
CREATE TRIGGER answers_days_delete AFTER DELETE ON answers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_answer_days();
CREATE TRIGGER answers_days_update AFTER UPDATE ON answers
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_answer_days();

-- The responses themselves (question 0), and their answers when the
-- response is deleted or its day or organisation changes. A change of
-- group, channel or merged_into reaches the answers through
-- responses_count_update (000021), which updates their copies after this
-- trigger, so the answers trigger above moves them under the new day and
-- organisation.
CREATE FUNCTION heard_count_response_days() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER responses_answer_days_insert AFTER INSERT ON responses
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_response_days();
CREATE TRIGGER responses_answer_days_delete AFTER DELETE ON responses
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_response_days();
CREATE TRIGGER responses_answer_days_update AFTER UPDATE ON responses
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_response_days();

-- What is already stored.
INSERT INTO answer_days (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard, n)
SELECT a.consultation_id, (r.received_at AT TIME ZONE 'Europe/London')::date, a.question_id, coalesce(a.option_id, 0),
       r.on_behalf_of_org, coalesce(a.respondent_group_id, 0), a.channel, 0, count(*)
FROM answers a JOIN responses r ON r.id = a.response_id
WHERE a.counted
GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO answer_days (consultation_id, day, question_id, option_id, org, respondent_group_id, channel, shard, n)
SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, 0, 0, on_behalf_of_org,
       coalesce(respondent_group_id, 0), channel, 0, count(*)
FROM responses
WHERE merged_into IS NULL AND NOT withdrawn
GROUP BY 1, 2, 5, 6, 7;

-- Facts per response (issue #12, speed with filters the summaries cannot
-- keep: events, two or more answers, an answer with dates, campaigns).
-- One narrow row per counted response (neither merged nor withdrawn),
-- with what the filters test and every answer it gives as one array of
-- question_id * 2^32 + option_id (option 0 for open text). Counting a
-- filtered page then reads one small row per matching response instead
-- of a response and its twenty answers scattered over the answers heap
-- (500 ms for 3,400 responses at 100,000; see README).
--
-- Kept exact by statement-level triggers in the same transaction. A
-- row is a function of its response and that response's answers as
-- they are now, so every change but the bulk insert path simply
-- recomputes the rows of the responses it touched (heard_refresh_facts):
-- the order in which the triggers of one statement fire does not matter.
-- Loads pay one insert per response and one update per answers batch.
CREATE TABLE response_facts (
    response_id         bigint PRIMARY KEY,
    consultation_id     bigint NOT NULL,
    respondent_group_id integer NOT NULL, -- 0: group not known
    channel             channel NOT NULL,
    org                 boolean NOT NULL,
    event_id            bigint,
    day                 date NOT NULL,    -- received, London time
    answers             bigint[] NOT NULL
) WITH (fillfactor = 50); -- the answers arrive after the row: room to update it in place
CREATE INDEX response_facts_consultation_idx ON response_facts (consultation_id, day);
CREATE INDEX response_facts_event_idx ON response_facts (event_id) WHERE event_id IS NOT NULL;

CREATE FUNCTION heard_refresh_facts(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM response_facts WHERE response_id = ANY(ids);
    INSERT INTO response_facts (response_id, consultation_id, respondent_group_id, channel, org, event_id, day, answers)
    SELECT r.id, r.consultation_id, coalesce(r.respondent_group_id, 0), r.channel, r.on_behalf_of_org, r.event_id,
           (r.received_at AT TIME ZONE 'Europe/London')::date,
           coalesce((SELECT array_agg(a.question_id::bigint * 4294967296 + coalesce(a.option_id, 0) ORDER BY a.question_id)
                     FROM answers a WHERE a.response_id = r.id AND a.counted), '{}')
    FROM responses r
    WHERE r.id = ANY(ids) AND r.merged_into IS NULL AND NOT r.withdrawn;
$$;

CREATE FUNCTION heard_facts_responses() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER responses_facts_insert AFTER INSERT ON responses
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_facts_responses();
CREATE TRIGGER responses_facts_delete AFTER DELETE ON responses
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_facts_responses();
CREATE TRIGGER responses_facts_update AFTER UPDATE ON responses
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_facts_responses();

CREATE FUNCTION heard_facts_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- The load path: add the new answers to their responses' rows
        -- (creating a row if the response's own trigger has not run yet).
        INSERT INTO response_facts AS f (response_id, consultation_id, respondent_group_id, channel, org, event_id, day, answers)
        SELECT r.id, r.consultation_id, coalesce(r.respondent_group_id, 0), r.channel, r.on_behalf_of_org, r.event_id,
               (r.received_at AT TIME ZONE 'Europe/London')::date, n.answers
        FROM (SELECT response_id, array_agg(question_id::bigint * 4294967296 + coalesce(option_id, 0)) AS answers
              FROM new_rows WHERE counted GROUP BY response_id) n
        JOIN responses r ON r.id = n.response_id AND r.merged_into IS NULL AND NOT r.withdrawn
        ORDER BY r.id
        ON CONFLICT (response_id) DO UPDATE SET answers = f.answers || excluded.answers;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM heard_refresh_facts(array_agg(DISTINCT response_id)) FROM old_rows HAVING count(*) > 0;
    ELSE
        PERFORM heard_refresh_facts(array_agg(DISTINCT response_id))
        FROM (SELECT response_id FROM new_rows UNION ALL SELECT response_id FROM old_rows) k HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER answers_facts_insert AFTER INSERT ON answers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_facts_answers();
CREATE TRIGGER answers_facts_delete AFTER DELETE ON answers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_facts_answers();
CREATE TRIGGER answers_facts_update AFTER UPDATE ON answers
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_facts_answers();

-- What is already stored.
INSERT INTO response_facts (response_id, consultation_id, respondent_group_id, channel, org, event_id, day, answers)
SELECT r.id, r.consultation_id, coalesce(r.respondent_group_id, 0), r.channel, r.on_behalf_of_org, r.event_id,
       (r.received_at AT TIME ZONE 'Europe/London')::date, coalesce(a.answers, '{}')
FROM responses r
LEFT JOIN (SELECT response_id, array_agg(question_id::bigint * 4294967296 + coalesce(option_id, 0) ORDER BY question_id) AS answers
           FROM answers WHERE counted GROUP BY response_id) a ON a.response_id = r.id
WHERE r.merged_into IS NULL AND NOT r.withdrawn;

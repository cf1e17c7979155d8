-- Who coded how many, from a summary, not a count of coding events (#11).
--
-- The coding progress page and a question's coding page show, per
-- question, how many answers each analyst coded: count(DISTINCT
-- response_id) over the analyst coding events, on every request (1.15 s
-- for the whole consultation at a million responses with 300,000 coded
-- Q1b answers, 0.5 s for Q1b alone). coder_counts holds those same
-- numbers, per (consultation, question, user).
--
-- The definition is the one it replaces, unchanged: an answer counts for
-- every analyst who ever applied a code to it or marked "no code applies"
-- in the main coding (not a double-coding sample; origin analyst, so bulk
-- coding and resolutions count for whoever did them, rules and models for
-- nobody), once per analyst however often. It is the work done, not the
-- answer's current state: an answer coded by two analysts counts for
-- both, and a code removed later does not take the work back. So merged
-- repeats and withdrawn responses stay in it, and letter segments (whose
-- events have no question) and added texts are not in it, as before.
--
-- coding_events is append-only (an UPDATE is refused), so rows only
-- arrive and, by cascade, leave (a response, code, segment, added text or
-- consultation deleted). Statement-level triggers keep the summary exact
-- in the same transaction, sharded by backend as code_counts and
-- coding_progress are; readers sum the shards. An (analyst, answer) pair
-- is new when every visible qualifying event for it is one this statement
-- inserted, and gone when none is left after a delete: both are looked up
-- through coding_events_unit_idx (response_id, id), a handful of rows per
-- answer. Two transactions inserting the first event of the same pair at
-- once would both count it; the main coding locks the answer's
-- unit_states row first (LockUnitState), which serialises them.

-- No foreign keys: rows are written while a consultation's events are
-- deleted with it (as code_counts).
CREATE TABLE coder_counts (
    consultation_id bigint NOT NULL,
    question_id     integer NOT NULL,
    user_id         bigint NOT NULL,
    shard           smallint NOT NULL,
    n               bigint NOT NULL,
    PRIMARY KEY (consultation_id, question_id, user_id, shard)
);
-- A question's coding page reads one question.
CREATE INDEX coder_counts_question_idx ON coder_counts (question_id);

CREATE FUNCTION heard_coder_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO coder_counts AS c
        SELECT k.consultation_id, k.question_id, k.user_id, pg_backend_pid() % 8, count(*)
        FROM (
            SELECT consultation_id, question_id, user_id, response_id, count(*) AS fresh
            FROM new_rows
            WHERE question_id IS NOT NULL AND user_id IS NOT NULL AND sample_id IS NULL
              AND origin = 'analyst' AND action IN ('apply', 'no_code')
            GROUP BY 1, 2, 3, 4
        ) k
        WHERE (SELECT count(*) FROM coding_events e
               WHERE e.response_id = k.response_id AND e.question_id = k.question_id AND e.user_id = k.user_id
                 AND e.sample_id IS NULL AND e.origin = 'analyst' AND e.action IN ('apply', 'no_code')) = k.fresh
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, question_id, user_id, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO coder_counts AS c
        SELECT k.consultation_id, k.question_id, k.user_id, pg_backend_pid() % 8, -count(*)
        FROM (
            SELECT DISTINCT consultation_id, question_id, user_id, response_id
            FROM old_rows
            WHERE question_id IS NOT NULL AND user_id IS NOT NULL AND sample_id IS NULL
              AND origin = 'analyst' AND action IN ('apply', 'no_code')
        ) k
        WHERE NOT EXISTS (SELECT 1 FROM coding_events e
                          WHERE e.response_id = k.response_id AND e.question_id = k.question_id AND e.user_id = k.user_id
                            AND e.sample_id IS NULL AND e.origin = 'analyst' AND e.action IN ('apply', 'no_code'))
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, question_id, user_id, shard)
        DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER coding_events_coders_insert AFTER INSERT ON coding_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_coder_counts();
CREATE TRIGGER coding_events_coders_delete AFTER DELETE ON coding_events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_coder_counts();

-- From what is stored now.
INSERT INTO coder_counts (consultation_id, question_id, user_id, shard, n)
SELECT consultation_id, question_id, user_id, 0, count(DISTINCT response_id)
FROM coding_events
WHERE question_id IS NOT NULL AND user_id IS NOT NULL AND sample_id IS NULL
  AND origin = 'analyst' AND action IN ('apply', 'no_code')
GROUP BY 1, 2, 3;

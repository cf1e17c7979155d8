-- Coding progress from a summary, not a count of unit_states (#16).
--
-- The overview's coding column ("% coded" per open question, for
-- analysts) counted every coded unit of the consultation on every
-- request: at a million responses with 300,000 coded answers that was
-- about 440 ms whatever the filter. coding_progress holds, per
-- consultation, the number of units that are coded (a code, or "no code
-- applies") and counted (not a merged repeat, not withdrawn, 000026):
-- answers per question (theme_id 0) and letter segments per theme
-- (question_id 0). Added texts (000026) are not in it, as they were not
-- in the count it replaces.
--
-- It is exact after every statement, kept by statement-level triggers
-- on unit_states in the same transaction, like code_counts (000009):
-- each statement's rows are aggregated and the deltas upserted, sharded
-- by backend so that analysts coding the same question at once do not
-- queue on one row. Readers sum the shards.
--
-- A segment's theme can be corrected, and a segment deleted with its
-- unit_states (the segment is gone by the time the statement trigger on
-- unit_states runs), so unit_states keeps a copy of its segment's
-- theme_id, set on insert and kept in step by a trigger on segments:
-- the summary then moves with the copy through the same update trigger.

ALTER TABLE unit_states ADD COLUMN theme_id integer;
UPDATE unit_states s SET theme_id = g.theme_id
FROM segments g WHERE g.id = s.segment_id AND g.theme_id IS NOT NULL;

CREATE FUNCTION heard_unit_states_theme() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.theme_id := (SELECT g.theme_id FROM segments g WHERE g.id = NEW.segment_id);
    RETURN NEW;
END;
$$;
CREATE TRIGGER unit_states_theme BEFORE INSERT ON unit_states
    FOR EACH ROW WHEN (NEW.segment_id IS NOT NULL) EXECUTE FUNCTION heard_unit_states_theme();

CREATE FUNCTION heard_segments_theme_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unit_states SET theme_id = NEW.theme_id WHERE segment_id = NEW.id AND theme_id IS DISTINCT FROM NEW.theme_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER segments_theme_follow AFTER UPDATE OF theme_id ON segments
    FOR EACH ROW WHEN (OLD.theme_id IS DISTINCT FROM NEW.theme_id) EXECUTE FUNCTION heard_segments_theme_follow();

-- No foreign keys: rows are written while a consultation's responses are
-- deleted with it (as code_counts).
CREATE TABLE coding_progress (
    consultation_id bigint NOT NULL,
    -- An answer's question, or 0 for a letter segment.
    question_id     integer NOT NULL,
    -- A letter segment's theme, or 0 for an answer.
    theme_id        integer NOT NULL,
    shard           smallint NOT NULL,
    n               bigint NOT NULL,
    PRIMARY KEY (consultation_id, question_id, theme_id, shard)
);

-- Units counted: coded and counted answers, and such segments with a
-- theme. Each branch names only the transition tables its event has.
CREATE FUNCTION heard_coding_progress() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO coding_progress AS c
        SELECT consultation_id, coalesce(question_id, 0), coalesce(theme_id, 0), pg_backend_pid() % 8, count(*)
        FROM new_rows
        WHERE coded AND counted AND (question_id IS NOT NULL OR (segment_id IS NOT NULL AND theme_id IS NOT NULL))
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, question_id, theme_id, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO coding_progress AS c
        SELECT consultation_id, coalesce(question_id, 0), coalesce(theme_id, 0), pg_backend_pid() % 8, -count(*)
        FROM old_rows
        WHERE coded AND counted AND (question_id IS NOT NULL OR (segment_id IS NOT NULL AND theme_id IS NOT NULL))
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, question_id, theme_id, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO coding_progress AS c
        SELECT k.consultation_id, k.q, k.th, pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT consultation_id, coalesce(question_id, 0) AS q, coalesce(theme_id, 0) AS th, 1 AS d
            FROM new_rows
            WHERE coded AND counted AND (question_id IS NOT NULL OR (segment_id IS NOT NULL AND theme_id IS NOT NULL))
            UNION ALL
            SELECT consultation_id, coalesce(question_id, 0), coalesce(theme_id, 0), -1
            FROM old_rows
            WHERE coded AND counted AND (question_id IS NOT NULL OR (segment_id IS NOT NULL AND theme_id IS NOT NULL))
        ) k
        GROUP BY 1, 2, 3
        HAVING sum(k.d) <> 0
        ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, question_id, theme_id, shard)
        DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER unit_states_progress_insert AFTER INSERT ON unit_states
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_coding_progress();
CREATE TRIGGER unit_states_progress_update AFTER UPDATE ON unit_states
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_coding_progress();
CREATE TRIGGER unit_states_progress_delete AFTER DELETE ON unit_states
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_coding_progress();

-- From what is stored now.
INSERT INTO coding_progress (consultation_id, question_id, theme_id, shard, n)
SELECT consultation_id, coalesce(question_id, 0), coalesce(theme_id, 0), 0, count(*)
FROM unit_states
WHERE coded AND counted AND (question_id IS NOT NULL OR (segment_id IS NOT NULL AND theme_id IS NOT NULL))
GROUP BY 1, 2, 3;

-- Coding of open text: codeframes, the append-only coding events, the
-- current state derived from them, flags, and double coding.
--
-- A "unit" is what gets coded: either an ANSWER, named by (response_id,
-- question_id) with segment_id NULL, or a LETTER SEGMENT, named by
-- segment_id (question_id NULL; response_id is the segment's response).
-- Every table below that is about a unit has those three columns and the
-- CHECK that exactly one of question_id / segment_id is set.
--
--   codes                one codeframe per open question (question_id) or
--                        per theme for letter segments (theme_id); two
--                        levels at most (parent_id is a top-level code of
--                        the same frame). Retired codes stay (history);
--                        a merged code has merged_into_id and is retired.
--                        codes.code is the short key used in CSV files.
--   coding_events        append-only: who, when, what (apply / remove a
--                        code, optional excerpt offsets into the stored
--                        text, position), flags and notes, origin
--                        analyst / rule / model with version and
--                        confidence, and sample_id for a double-coding
--                        coder's independent work (NULL: the main coding).
--   unit_codes           the CURRENT codes of each unit (main coding only),
--                        written in the same transaction as the event.
--                        One row per unit and code; channel and
--                        respondent_group_id are copies from the response.
--                        "answers with code X":
--                          EXISTS (SELECT 1 FROM unit_codes uc WHERE uc.code_id = X
--                                  AND uc.question_id = a.question_id AND uc.response_id = a.response_id)
--                        or drive from unit_codes_code_idx (code_id, response_id).
--   unit_states          one row per unit anyone has coded, flagged or
--                        noted: code_count (current codes), no_code
--                        (analyst said "no code applies"), coded
--                        (= code_count > 0 OR no_code), quote_worthy,
--                        evidence_rich, note, and version, bumped by
--                        every change: a form carries the version it
--                        showed, and a save against an older version is
--                        refused as a concurrent edit.
--                          "not yet coded": NOT EXISTS (unit_states s WHERE s.question_id = a.question_id
--                                           AND s.response_id = a.response_id AND s.coded)
--                          "has no code":   NOT EXISTS (... AND s.code_count > 0)
--                          "flagged as quote": EXISTS (... AND s.quote_worthy)
--   code_counts          sharded summary of unit_codes by code, position,
--                        group and channel, kept by triggers like
--                        answer_counts: code counts never scan unit_codes.
--   coding_samples       double coding: a share of a question's answers
--   + _coders, _answers  (coding_sample_answers), two coders
--   + sample_codes       (coding_sample_coders, slot 1 and 2), each coder's
--   + _done              own current codes (sample_codes) and which answers
--   + coding_resolutions they have finished (coding_sample_done); a third
--                        person's decision per answer and code
--                        (coding_resolutions) which is also written as
--                        main coding events.

CREATE TABLE codes (
    consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id     integer REFERENCES questions (id) ON DELETE CASCADE,
    theme_id        integer REFERENCES themes (id) ON DELETE CASCADE,
    parent_id       integer REFERENCES codes (id) ON DELETE CASCADE,
    -- Short key, unique within its codeframe (the CSV "code" column).
    code            text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
    name            text NOT NULL CHECK (name <> ''),
    description     text NOT NULL DEFAULT '',
    position        integer NOT NULL,
    retired_at      timestamptz,
    merged_into_id  integer REFERENCES codes (id) ON DELETE SET NULL,
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(question_id, theme_id) = 1),
    CHECK (parent_id <> id),
    CHECK (merged_into_id IS NULL OR retired_at IS NOT NULL)
);
CREATE UNIQUE INDEX codes_question_code_idx ON codes (question_id, lower(code)) WHERE question_id IS NOT NULL;
CREATE UNIQUE INDEX codes_theme_code_idx ON codes (theme_id, lower(code)) WHERE theme_id IS NOT NULL;
CREATE INDEX codes_consultation_idx ON codes (consultation_id, position, id);

-- Two levels at most, and a parent in the same codeframe.
CREATE FUNCTION heard_codes_check_parent() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p codes%ROWTYPE;
BEGIN
    IF NEW.parent_id IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT * INTO p FROM codes WHERE id = NEW.parent_id;
    IF p.parent_id IS NOT NULL THEN
        RAISE EXCEPTION 'code %: codes nest two levels at most', NEW.code USING ERRCODE = 'check_violation';
    END IF;
    IF p.question_id IS DISTINCT FROM NEW.question_id OR p.theme_id IS DISTINCT FROM NEW.theme_id THEN
        RAISE EXCEPTION 'code %: parent is in another codeframe', NEW.code USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM codes WHERE parent_id = NEW.id) THEN
        RAISE EXCEPTION 'code %: has sub-codes, so it cannot become a sub-code', NEW.code USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER codes_check_parent BEFORE INSERT OR UPDATE OF parent_id ON codes
    FOR EACH ROW EXECUTE FUNCTION heard_codes_check_parent();

-- Double-coding samples come before the events that point at them.
CREATE TABLE coding_samples (
    consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id     integer NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    -- The share asked for (percent) and the number of answers drawn.
    share_percent   integer NOT NULL CHECK (share_percent > 0 AND share_percent <= 100),
    size            integer NOT NULL CHECK (size >= 0),
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX coding_samples_question_idx ON coding_samples (question_id, id);

CREATE TABLE coding_sample_coders (
    sample_id   bigint NOT NULL REFERENCES coding_samples (id) ON DELETE CASCADE,
    slot        smallint NOT NULL CHECK (slot IN (1, 2)),
    user_id     bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (sample_id, slot),
    UNIQUE (sample_id, user_id)
);
CREATE INDEX coding_sample_coders_user_idx ON coding_sample_coders (user_id);

CREATE TABLE coding_sample_answers (
    sample_id   bigint NOT NULL REFERENCES coding_samples (id) ON DELETE CASCADE,
    response_id bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    PRIMARY KEY (sample_id, response_id)
);
CREATE INDEX coding_sample_answers_response_idx ON coding_sample_answers (response_id);

CREATE TABLE coding_events (
    consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    -- NULL only for origin rule or model.
    user_id         bigint REFERENCES users (id),
    response_id     bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id     integer,
    segment_id      bigint REFERENCES segments (id) ON DELETE CASCADE,
    -- apply, remove: a code. no_code: "no code applies" (or, with
    -- undo, not any more). flag / unflag: quote_worthy or evidence_rich.
    -- note: the analyst note's new text.
    action          text NOT NULL CHECK (action IN ('apply', 'remove', 'no_code', 'undo_no_code', 'flag', 'unflag', 'note')),
    code_id         integer REFERENCES codes (id) ON DELETE CASCADE,
    -- Character offsets (Go runes) into the stored text: answers.text,
    -- or for a segment, into its own text (the part of
    -- response_sources.full_text it covers). NULL: the whole unit.
    excerpt_start   integer,
    excerpt_end     integer,
    position        text NOT NULL DEFAULT '' CHECK (position IN ('', 'supports', 'opposes', 'neutral')),
    flag            text NOT NULL DEFAULT '' CHECK (flag IN ('', 'quote_worthy', 'evidence_rich')),
    note            text NOT NULL DEFAULT '',
    origin          text NOT NULL DEFAULT 'analyst' CHECK (origin IN ('analyst', 'rule', 'model')),
    origin_version  text NOT NULL DEFAULT '',
    confidence      real CHECK (confidence >= 0 AND confidence <= 1),
    -- A double-coding coder's independent work; NULL: the main coding.
    sample_id       bigint REFERENCES coding_samples (id) ON DELETE CASCADE,
    -- Why, when not the analyst's own act: 'merge', 'resolution', 'bulk'.
    reason          text NOT NULL DEFAULT '',
    CHECK (num_nonnulls(question_id, segment_id) = 1),
    CHECK ((action IN ('apply', 'remove')) = (code_id IS NOT NULL)),
    CHECK ((action IN ('flag', 'unflag')) = (flag <> '')),
    CHECK ((excerpt_start IS NULL) = (excerpt_end IS NULL)),
    CHECK (excerpt_start IS NULL OR (excerpt_start >= 0 AND excerpt_end > excerpt_start)),
    CHECK (origin <> 'analyst' OR user_id IS NOT NULL)
);
-- An answer's history, newest first.
CREATE INDEX coding_events_unit_idx ON coding_events (response_id, id);
-- Who coded how many, per question.
CREATE INDEX coding_events_question_user_idx ON coding_events (question_id, user_id) WHERE question_id IS NOT NULL;
CREATE INDEX coding_events_sample_idx ON coding_events (sample_id) WHERE sample_id IS NOT NULL;

-- Events are never changed. They are deleted only with their response
-- (erasure) or consultation.
CREATE FUNCTION heard_coding_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'coding_events is append-only';
END;
$$;
CREATE TRIGGER coding_events_append_only BEFORE UPDATE OR TRUNCATE ON coding_events
    FOR EACH STATEMENT EXECUTE FUNCTION heard_coding_events_append_only();

CREATE TABLE unit_codes (
    consultation_id     bigint NOT NULL,
    response_id         bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id         integer,
    segment_id          bigint REFERENCES segments (id) ON DELETE CASCADE,
    code_id             integer NOT NULL REFERENCES codes (id) ON DELETE CASCADE,
    position            text NOT NULL DEFAULT '' CHECK (position IN ('', 'supports', 'opposes', 'neutral')),
    -- One excerpt per unit and code; NULL: the whole unit.
    excerpt_start       integer,
    excerpt_end         integer,
    -- Copies from the response, for counting without a join (kept in
    -- step by the trigger on responses below).
    channel             channel NOT NULL,
    respondent_group_id integer,
    -- The event that last set this row.
    event_id            bigint NOT NULL,
    CHECK (num_nonnulls(question_id, segment_id) = 1),
    CHECK ((excerpt_start IS NULL) = (excerpt_end IS NULL))
);
CREATE UNIQUE INDEX unit_codes_answer_idx ON unit_codes (question_id, response_id, code_id) WHERE segment_id IS NULL;
CREATE UNIQUE INDEX unit_codes_segment_idx ON unit_codes (segment_id, code_id) WHERE segment_id IS NOT NULL;
CREATE INDEX unit_codes_code_idx ON unit_codes (code_id, response_id);
CREATE INDEX unit_codes_response_idx ON unit_codes (response_id);

CREATE TABLE unit_states (
    consultation_id bigint NOT NULL,
    response_id     bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id     integer,
    segment_id      bigint REFERENCES segments (id) ON DELETE CASCADE,
    code_count      integer NOT NULL DEFAULT 0 CHECK (code_count >= 0),
    no_code         boolean NOT NULL DEFAULT false,
    coded           boolean GENERATED ALWAYS AS (code_count > 0 OR no_code) STORED,
    quote_worthy    boolean NOT NULL DEFAULT false,
    evidence_rich   boolean NOT NULL DEFAULT false,
    note            text NOT NULL DEFAULT '',
    -- Bumped by every change to the unit's codes, flags or note.
    version         bigint NOT NULL DEFAULT 0,
    updated_by      bigint REFERENCES users (id),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(question_id, segment_id) = 1)
);
CREATE UNIQUE INDEX unit_states_answer_idx ON unit_states (question_id, response_id) WHERE segment_id IS NULL;
CREATE UNIQUE INDEX unit_states_segment_idx ON unit_states (segment_id) WHERE segment_id IS NOT NULL;
-- "next uncoded" and "not yet coded" anti-join on the coded ones.
CREATE INDEX unit_states_coded_idx ON unit_states (question_id, response_id) WHERE coded AND segment_id IS NULL;
CREATE INDEX unit_states_quote_idx ON unit_states (question_id, response_id) WHERE quote_worthy;
CREATE INDEX unit_states_response_idx ON unit_states (response_id);

-- Code counts by position, group and channel; units are answers
-- (segment false) or letter segments (segment true). Sharded like
-- answer_counts; 0 is "group not known".
CREATE TABLE code_counts (
    consultation_id     bigint NOT NULL,
    code_id             integer NOT NULL,
    segment             boolean NOT NULL,
    position            text NOT NULL,
    respondent_group_id integer NOT NULL,
    channel             channel NOT NULL,
    shard               smallint NOT NULL,
    n                   bigint NOT NULL,
    PRIMARY KEY (consultation_id, code_id, segment, position, respondent_group_id, channel, shard)
);

CREATE FUNCTION heard_count_codes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO code_counts AS c
        SELECT consultation_id, code_id, segment_id IS NOT NULL, position, coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, count(*)
        FROM new_rows
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (consultation_id, code_id, segment, position, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO code_counts AS c
        SELECT consultation_id, code_id, segment_id IS NOT NULL, position, coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, -count(*)
        FROM old_rows
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
            FROM new_rows
            UNION ALL
            SELECT consultation_id, code_id, segment_id IS NOT NULL, position,
                   coalesce(respondent_group_id, 0), channel, -1
            FROM old_rows
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

CREATE TRIGGER unit_codes_count_insert AFTER INSERT ON unit_codes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_codes();
CREATE TRIGGER unit_codes_count_delete AFTER DELETE ON unit_codes
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_codes();
CREATE TRIGGER unit_codes_count_update AFTER UPDATE ON unit_codes
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_codes();

-- A response's group or channel changing (an admin confirming a
-- suggested group) moves its codes' counts with it.
CREATE FUNCTION heard_unit_codes_follow_response() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unit_codes u
    SET channel = n.channel, respondent_group_id = n.respondent_group_id
    FROM new_rows n
    WHERE u.response_id = n.id
      AND (u.channel, u.respondent_group_id) IS DISTINCT FROM (n.channel, n.respondent_group_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER responses_unit_codes_update AFTER UPDATE ON responses
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_unit_codes_follow_response();

-- Double coding: each coder's own current codes, invisible to the other
-- until both have finished every answer of the sample.
CREATE TABLE sample_codes (
    sample_id     bigint NOT NULL REFERENCES coding_samples (id) ON DELETE CASCADE,
    response_id   bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    user_id       bigint NOT NULL REFERENCES users (id),
    code_id       integer NOT NULL REFERENCES codes (id) ON DELETE CASCADE,
    position      text NOT NULL DEFAULT '' CHECK (position IN ('', 'supports', 'opposes', 'neutral')),
    excerpt_start integer,
    excerpt_end   integer,
    event_id      bigint NOT NULL,
    PRIMARY KEY (sample_id, response_id, user_id, code_id)
);
CREATE INDEX sample_codes_code_idx ON sample_codes (code_id);

-- An answer a coder has finished (with or without codes).
CREATE TABLE coding_sample_done (
    sample_id   bigint NOT NULL REFERENCES coding_samples (id) ON DELETE CASCADE,
    response_id bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id),
    done_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sample_id, response_id, user_id)
);

-- A third person's decision on a disagreement: whether the code applies
-- to the answer (and with which position). The decision is also written
-- as main coding events (reason 'resolution'); the two coders' own
-- events stay in history.
CREATE TABLE coding_resolutions (
    sample_id   bigint NOT NULL REFERENCES coding_samples (id) ON DELETE CASCADE,
    response_id bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    code_id     integer NOT NULL REFERENCES codes (id) ON DELETE CASCADE,
    present     boolean NOT NULL,
    position    text NOT NULL DEFAULT '' CHECK (position IN ('', 'supports', 'opposes', 'neutral')),
    resolved_by bigint NOT NULL REFERENCES users (id),
    resolved_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sample_id, response_id, code_id)
);

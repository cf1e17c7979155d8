-- Auto-coding: rules (a code's search query), trained models per
-- question with their measured quality, and suggestions awaiting an
-- analyst's decision. Suggestions are never codes: a code exists only
-- once an analyst accepts it (a coding event with origin 'model' or
-- 'rule' and the version). Rejections stay here (status 'rejected')
-- and are negative examples when the model is next trained.

CREATE TABLE code_rules (
    code_id     integer PRIMARY KEY REFERENCES codes (id) ON DELETE CASCADE,
    -- websearch syntax, as the answer search: "phrase", OR, -word.
    query       text NOT NULL CHECK (query <> '' AND length(query) <= 500),
    updated_by  bigint REFERENCES users (id),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE autocode_models (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id   integer NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    -- 'q<question>-v<n>': written on every event an accepted suggestion makes.
    version       text NOT NULL,
    trained_at    timestamptz NOT NULL DEFAULT now(),
    -- Coded answers (and rejections) it learnt from.
    examples      integer NOT NULL,
    -- The model itself (encoding/gob of autocode.Model).
    model         bytea NOT NULL,
    -- Cross-validated quality, per code and overall, and the learning
    -- curve (JSON of autocode.Measured).
    quality       jsonb NOT NULL,
    UNIQUE (question_id, version)
);
CREATE INDEX autocode_models_question_idx ON autocode_models (question_id, id DESC);

-- No foreign key to questions: a question's codes cascade here already,
-- and every row-level check costs the scoring job (a million rows).
CREATE TABLE autocode_suggestions (
    question_id   integer NOT NULL,
    response_id   bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    code_id       integer NOT NULL REFERENCES codes (id) ON DELETE CASCADE,
    origin        text NOT NULL CHECK (origin IN ('model', 'rule')),
    version       text NOT NULL,
    confidence    real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    -- The answer's own words that drove it (model) or matched (rule).
    words         text[] NOT NULL DEFAULT '{}',
    -- superseded: the answer got the code anyway, or an analyst said no
    -- code applies to it (triggers below); never shown again.
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'superseded')),
    decided_by    bigint REFERENCES users (id),
    decided_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (question_id, response_id, code_id)
);
-- A code's pending suggestions, most confident first.
CREATE INDEX autocode_suggestions_pending_idx ON autocode_suggestions (question_id, code_id, confidence DESC, response_id DESC)
    WHERE status = 'pending';
CREATE INDEX autocode_suggestions_response_idx ON autocode_suggestions (response_id);

-- Pending suggestions by code and confidence band (floor(confidence·20):
-- 5% bands), kept by triggers like code_counts, so the page's counts and
-- the bulk preview never scan the suggestions at a million answers.
CREATE TABLE autocode_suggestion_counts (
    question_id integer NOT NULL,
    code_id     integer NOT NULL,
    band        smallint NOT NULL,
    n           bigint NOT NULL,
    PRIMARY KEY (question_id, code_id, band)
);

-- One trigger per event: transition tables cannot span events.
CREATE FUNCTION heard_count_suggestions_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO autocode_suggestion_counts AS c
    SELECT question_id, code_id, floor(confidence * 20)::smallint, count(*)
    FROM new_rows WHERE status = 'pending'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (question_id, code_id, band) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$$;
CREATE FUNCTION heard_count_suggestions_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO autocode_suggestion_counts AS c
    SELECT question_id, code_id, floor(confidence * 20)::smallint, -count(*)
    FROM old_rows WHERE status = 'pending'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (question_id, code_id, band) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$$;
CREATE FUNCTION heard_count_suggestions_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO autocode_suggestion_counts AS c
    SELECT k.question_id, k.code_id, k.band, sum(k.d)
    FROM (
        SELECT question_id, code_id, floor(confidence * 20)::smallint AS band, 1 AS d FROM new_rows WHERE status = 'pending'
        UNION ALL
        SELECT question_id, code_id, floor(confidence * 20)::smallint, -1 FROM old_rows WHERE status = 'pending'
    ) k
    GROUP BY 1, 2, 3
    HAVING sum(k.d) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (question_id, code_id, band) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$$;
CREATE TRIGGER autocode_suggestions_count_insert AFTER INSERT ON autocode_suggestions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_suggestions_insert();
CREATE TRIGGER autocode_suggestions_count_delete AFTER DELETE ON autocode_suggestions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_suggestions_delete();
CREATE TRIGGER autocode_suggestions_count_update AFTER UPDATE ON autocode_suggestions
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_suggestions_update();

-- An answer that gets a code however it happens (coding screen, bulk,
-- CSV, resolution) no longer needs that code suggested; one an analyst
-- says no code applies to needs none.
CREATE FUNCTION heard_supersede_coded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE autocode_suggestions SET status = 'superseded'
    WHERE question_id = NEW.question_id AND response_id = NEW.response_id AND code_id = NEW.code_id
      AND status = 'pending';
    RETURN NULL;
END;
$$;
CREATE TRIGGER unit_codes_supersede_suggestion AFTER INSERT ON unit_codes
    FOR EACH ROW WHEN (NEW.segment_id IS NULL) EXECUTE FUNCTION heard_supersede_coded();

CREATE FUNCTION heard_supersede_no_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE autocode_suggestions SET status = 'superseded'
    WHERE question_id = NEW.question_id AND response_id = NEW.response_id AND status = 'pending';
    RETURN NULL;
END;
$$;
CREATE TRIGGER unit_states_supersede_suggestions AFTER INSERT OR UPDATE OF no_code ON unit_states
    FOR EACH ROW WHEN (NEW.no_code AND NEW.segment_id IS NULL) EXECUTE FUNCTION heard_supersede_no_code();

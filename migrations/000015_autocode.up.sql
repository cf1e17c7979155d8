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

CREATE TABLE autocode_suggestions (
    question_id   integer NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    response_id   bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    code_id       integer NOT NULL REFERENCES codes (id) ON DELETE CASCADE,
    origin        text NOT NULL CHECK (origin IN ('model', 'rule')),
    version       text NOT NULL,
    confidence    real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    -- The answer's own words that drove it (model) or matched (rule).
    words         text[] NOT NULL DEFAULT '{}',
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    decided_by    bigint REFERENCES users (id),
    decided_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (question_id, response_id, code_id)
);
-- A code's pending suggestions, most confident first.
CREATE INDEX autocode_suggestions_pending_idx ON autocode_suggestions (question_id, code_id, confidence DESC, response_id)
    WHERE status = 'pending';
CREATE INDEX autocode_suggestions_response_idx ON autocode_suggestions (response_id);

-- Small-number protection thresholds per consultation (see
-- internal/results/suppress.go): counts below them are withheld from the
-- public on published results and from viewers.
ALTER TABLE consultations
    ADD COLUMN suppress_public integer NOT NULL DEFAULT 10 CHECK (suppress_public BETWEEN 1 AND 1000),
    ADD COLUMN suppress_viewer integer NOT NULL DEFAULT 5 CHECK (suppress_viewer BETWEEN 1 AND 1000);

-- A demographic question's reference population, from the definition:
-- [{"option": "white", "share": 81.7}, ...] with its source and date.
ALTER TABLE questions
    ADD COLUMN reference jsonb;

-- Analysts' own words per report section ("responses", a theme slug...).
CREATE TABLE report_narratives (
    consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    section         text NOT NULL,
    body            text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consultation_id, section)
);

-- A frozen report: its text and figures as they were when frozen.
CREATE TABLE report_snapshots (
    consultation_id   bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        text NOT NULL,
    codeframe_version text NOT NULL DEFAULT '',
    markdown          text NOT NULL,
    html              text NOT NULL
);
CREATE INDEX report_snapshots_consultation_idx ON report_snapshots (consultation_id, id);

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

-- Responses per day received (London time), group and channel, for the
-- overview's timeline: kept exact by statement-level triggers in the same
-- transaction, like response_counts (migrations/000001), so the timeline
-- never scans responses.
CREATE TABLE response_days (
    consultation_id     bigint NOT NULL,
    day                 date NOT NULL,
    respondent_group_id integer NOT NULL,
    channel             channel NOT NULL,
    shard               smallint NOT NULL,
    n                   bigint NOT NULL,
    PRIMARY KEY (consultation_id, day, respondent_group_id, channel, shard)
);

CREATE FUNCTION heard_count_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Transition tables exist only for the event that fired.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO response_days AS c
        SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, count(*)
        FROM new_rows
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (consultation_id, day, respondent_group_id, channel, shard)
        DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO response_days AS c
        SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, -count(*)
        FROM old_rows
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
            FROM new_rows
            UNION ALL
            SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date,
                   coalesce(respondent_group_id, 0), channel, -1
            FROM old_rows
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

CREATE TRIGGER responses_days_insert AFTER INSERT ON responses
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_days();
CREATE TRIGGER responses_days_delete AFTER DELETE ON responses
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_days();
CREATE TRIGGER responses_days_update AFTER UPDATE ON responses
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_count_days();

-- Responses already stored.
INSERT INTO response_days (consultation_id, day, respondent_group_id, channel, shard, n)
SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, coalesce(respondent_group_id, 0), channel, 0, count(*)
FROM responses
GROUP BY 1, 2, 3, 4;

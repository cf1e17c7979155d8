-- Personal data: detected and analyst-added spans beside the text (the
-- text itself is never changed), subject access requests, erasures,
-- and each consultation's lawful basis and retention period.

CREATE TABLE personal_spans (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    response_id     bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    -- 0: the response's full text (response_sources.full_text);
    -- otherwise the open answer to this question (answers.text).
    question_id     integer NOT NULL DEFAULT 0,
    -- Byte offsets into the text (Go string indices; segments count
    -- characters instead).
    start_offset    integer NOT NULL CHECK (start_offset >= 0),
    end_offset      integer NOT NULL CHECK (end_offset > start_offset),
    kind            text NOT NULL CHECK (kind IN ('email', 'phone', 'postcode', 'nhs_number', 'ni_number', 'date_of_birth', 'name', 'other')),
    confidence      real NOT NULL DEFAULT 1,
    origin          text NOT NULL CHECK (origin IN ('detected', 'analyst')),
    -- Detected spans are redacted until an analyst dismisses them: safe
    -- by default. Confirmed and added spans are always redacted.
    status          text NOT NULL DEFAULT 'detected' CHECK (status IN ('detected', 'confirmed', 'dismissed')),
    reason          text NOT NULL DEFAULT '',
    decided_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    decided_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX personal_spans_response ON personal_spans (response_id, question_id, start_offset);
CREATE INDEX personal_spans_consultation ON personal_spans (consultation_id, status);

-- Responses the detector has read, so the backfill finds the rest.
CREATE TABLE personal_scanned (
    response_id bigint PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
    scanned_at  timestamptz NOT NULL DEFAULT now()
);

-- Lawful basis decides what erasure may keep: under public task
-- (UK GDPR Art. 6(1)(e)) the closed answers stay counted, anonymously;
-- under consent (6(1)(a)) withdrawing it removes them too.
ALTER TABLE consultations
    ADD COLUMN lawful_basis text NOT NULL DEFAULT 'public_task' CHECK (lawful_basis IN ('public_task', 'consent', 'legitimate_interests')),
    -- Months after closing that raw files and personal data are kept;
    -- NULL: not set, so nothing is deleted.
    ADD COLUMN retention_months integer CHECK (retention_months BETWEEN 1 AND 120),
    -- Set when the retention job has deleted what the period covered.
    ADD COLUMN retention_done_at timestamptz,
    -- Whether the consenting organisations' responses, redacted, are on
    -- a public page.
    ADD COLUMN org_responses_published boolean NOT NULL DEFAULT false;

-- Erased responses: their text is gone (a tombstone), only this mark
-- and, if the lawful basis allows, their closed answers remain.
CREATE TABLE erasures (
    response_id       bigint PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
    consultation_id   bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    -- 'erasure' (a request) or 'retention' (the period ended).
    cause             text NOT NULL CHECK (cause IN ('erasure', 'retention')),
    kept_closed       boolean NOT NULL,
    erased_by         bigint REFERENCES users (id) ON DELETE SET NULL,
    erased_at         timestamptz NOT NULL DEFAULT now()
);

-- Subject access requests: the log with the one-month due date. The
-- search terms are personal data and are not kept here.
CREATE TABLE subject_access_requests (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Who asked, as the admin recorded it (e.g. "Request by letter, ref 42").
    label        text NOT NULL CHECK (label <> ''),
    received_on  date NOT NULL,
    due_on       date NOT NULL,
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'exported', 'closed')),
    found        integer NOT NULL DEFAULT 0,
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    exported_at  timestamptz
);

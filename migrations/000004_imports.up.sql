-- Batches of emails, letters and event responses imported from files,
-- with the provenance of each response and the segments of its text.

CREATE TABLE import_batches (
    consultation_id bigint NOT NULL REFERENCES consultations (id),
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name       text NOT NULL,
    sha256          text NOT NULL,
    format          text NOT NULL,   -- eml, mbox, zip, csv, xlsx
    channel         channel,         -- the batch default, if one was given
    default_group_id integer REFERENCES respondent_groups (id),
    skip_invalid    boolean NOT NULL DEFAULT false,
    -- imported: all of it; partial: the valid part (skip invalid);
    -- rejected: nothing, because of the problems listed.
    status          text NOT NULL CHECK (status IN ('imported', 'partial', 'rejected')),
    imported        integer NOT NULL DEFAULT 0,
    duplicates      integer NOT NULL DEFAULT 0,
    rejected        integer NOT NULL DEFAULT 0,
    -- [{item, field, reason}] and [{item, ref, reason}]
    problems        jsonb NOT NULL DEFAULT '[]',
    duplicate_list  jsonb NOT NULL DEFAULT '[]',
    imported_by     bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_batches_consultation_idx ON import_batches (consultation_id, id DESC);

ALTER TABLE responses
    ADD COLUMN batch_id bigint REFERENCES import_batches (id),
    -- A group suggested by the sender's email domain, shown to analysts
    -- until someone confirms it (or the batch's own group stands).
    ADD COLUMN suggested_group_id integer REFERENCES respondent_groups (id),
    ADD COLUMN suggestion_reason text NOT NULL DEFAULT '';
CREATE INDEX responses_batch_idx ON responses (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX responses_suggested_idx ON responses (consultation_id) WHERE suggested_group_id IS NOT NULL;

-- Where an email or letter came from, and its whole text.
CREATE TABLE response_sources (
    consultation_id bigint NOT NULL,
    response_id     bigint PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
    sender_name     text NOT NULL DEFAULT '',
    sender_address  text NOT NULL DEFAULT '',
    subject         text NOT NULL DEFAULT '',
    message_id      text NOT NULL DEFAULT '',
    -- The text segments' offsets point into.
    full_text       text NOT NULL,
    -- NFC-normalised, whitespace-folded text's SHA-256: exact duplicates
    -- from the same sender are reported, not stored twice.
    text_hash       text NOT NULL,
    attachments     jsonb NOT NULL DEFAULT '[]', -- [{name, content_type, size, error}]
    warnings        jsonb NOT NULL DEFAULT '[]',
    -- The original message bytes, for provenance (NULL for CSV/XLSX rows).
    raw             bytea
);
CREATE INDEX response_sources_dup_idx ON response_sources (consultation_id, lower(sender_address), text_hash);

CREATE TABLE segments (
    consultation_id bigint NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    response_id     bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    position        integer NOT NULL,
    start_offset    integer NOT NULL CHECK (start_offset >= 0),
    end_offset      integer NOT NULL CHECK (end_offset >= start_offset),
    question_id     integer REFERENCES questions (id),
    theme_id        integer REFERENCES themes (id),
    -- question reference, theme heading, none; or corrected
    how             text NOT NULL,
    corrected_by    bigint REFERENCES users (id),
    corrected_at    timestamptz,
    UNIQUE (response_id, position)
);
CREATE INDEX segments_question_idx ON segments (question_id) WHERE question_id IS NOT NULL;
CREATE INDEX segments_theme_idx ON segments (theme_id) WHERE theme_id IS NOT NULL;

-- Email domains that suggest a respondent group (e.g. cqc.org.uk).
ALTER TABLE respondent_groups ADD COLUMN email_domains text[] NOT NULL DEFAULT '{}';

-- Files uploaded on the admin pages: kept between the preview and the
-- confirmation, and worked on by a background job when large.
CREATE TABLE import_uploads (
    consultation_id bigint NOT NULL REFERENCES consultations (id),
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name       text NOT NULL,
    sha256          text NOT NULL,
    size            bigint NOT NULL,
    data            bytea,           -- emptied once imported or discarded
    channel         channel,
    group_id        integer REFERENCES respondent_groups (id),
    skip_invalid    boolean NOT NULL DEFAULT false,
    uploaded_by     bigint REFERENCES users (id),
    status          text NOT NULL CHECK (status IN ('preview', 'queued', 'running', 'done', 'failed', 'discarded')),
    preview         jsonb NOT NULL DEFAULT '{}',
    processed       bigint NOT NULL DEFAULT 0,  -- bytes read so far, for the progress bar
    batch_id        bigint REFERENCES import_batches (id),
    error           text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

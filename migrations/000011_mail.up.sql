-- Email and post as they really arrive (#17): scanned letters read by
-- OCR, and IMAP mailboxes watched for new responses.

-- A scanned letter: the file as received, its pages and the text OCR
-- took from them. One scan is one response (channel letter); its text,
-- once read, is the response's source text and is segmented like an
-- email's. A scan is never dropped: without Tesseract it waits as
-- "needs_typing".
CREATE TABLE letter_scans (
    consultation_id bigint NOT NULL REFERENCES consultations (id),
    response_id     bigint PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
    file_name       text NOT NULL,
    content_type    text NOT NULL,
    data            bytea NOT NULL,
    pages           integer NOT NULL CHECK (pages > 0),
    pages_done      integer NOT NULL DEFAULT 0,
    -- queued: waiting for OCR; reading: a job has it; needs_checking:
    -- read, mean confidence below the threshold; read: read confidently;
    -- needs_typing: no OCR here, an analyst types it; checked: an
    -- analyst corrected or confirmed the text.
    status          text NOT NULL CHECK (status IN ('queued', 'reading', 'needs_checking', 'read', 'needs_typing', 'checked')),
    mean_confidence real,
    -- the text as OCR read it, before any correction
    ocr_text        text NOT NULL DEFAULT '',
    error           text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX letter_scans_status_idx ON letter_scans (status, response_id) WHERE status IN ('queued', 'reading');
CREATE INDEX letter_scans_consultation_idx ON letter_scans (consultation_id, status);

CREATE TABLE letter_scan_pages (
    response_id bigint NOT NULL REFERENCES letter_scans (response_id) ON DELETE CASCADE,
    page        integer NOT NULL CHECK (page > 0),
    image       bytea NOT NULL,      -- PNG, JPEG or TIFF as shown beside the text
    image_type  text NOT NULL,
    text        text NOT NULL,
    confidence  real NOT NULL,
    words       jsonb NOT NULL,      -- [{t, c}]: each word and its confidence
    PRIMARY KEY (response_id, page)
);

-- A consultation's shared mailbox, fetched at an interval.
CREATE TABLE mailboxes (
    consultation_id bigint PRIMARY KEY REFERENCES consultations (id) ON DELETE CASCADE,
    host            text NOT NULL,
    port            integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security        text NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
    username        text NOT NULL,
    -- AES-GCM with a key from HEARD_SECRET_KEY: nonce || ciphertext
    secret          bytea NOT NULL,
    folder          text NOT NULL,
    -- where imported messages are moved ('' to flag them \Seen and
    -- $HeardImported in place)
    done_folder     text NOT NULL DEFAULT '',
    uid_validity    bigint NOT NULL DEFAULT 0,
    last_uid        bigint NOT NULL DEFAULT 0,
    last_fetch_at   timestamptz,
    last_error      text NOT NULL DEFAULT '',
    connected_by    bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Every message a mailbox fetch saw, so none is imported twice (by
-- UID within its UIDVALIDITY, and by Message-ID through the response).
CREATE TABLE mailbox_messages (
    consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    uid_validity    bigint NOT NULL,
    uid             bigint NOT NULL,
    message_id      text NOT NULL,
    batch_id        bigint REFERENCES import_batches (id),
    outcome         text NOT NULL CHECK (outcome IN ('imported', 'duplicate', 'refused')),
    reason          text NOT NULL DEFAULT '',
    fetched_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consultation_id, uid_validity, uid)
);

-- The public response form (webform channel): drafts kept server-side for
-- save and return, each of which becomes the record of its submission.

-- Bumped whenever anything in a consultation's structure changes, so the
-- form can cache the structure and still notice a reloaded definition.
ALTER TABLE consultations ADD COLUMN structure_version bigint NOT NULL DEFAULT 1;

CREATE FUNCTION heard_bump_structure_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE consultations SET structure_version = structure_version + 1
    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.consultation_id ELSE NEW.consultation_id END;
    RETURN NULL;
END;
$$;

-- Loading the same definition again upserts every row unchanged: the
-- WHEN clause keeps that from counting as a change.
CREATE TRIGGER themes_structure AFTER INSERT OR DELETE ON themes
    FOR EACH ROW EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER themes_structure_update AFTER UPDATE ON themes
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER scales_structure AFTER INSERT OR DELETE ON scales
    FOR EACH ROW EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER scales_structure_update AFTER UPDATE ON scales
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER scale_options_structure AFTER INSERT OR DELETE ON scale_options
    FOR EACH ROW EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER scale_options_structure_update AFTER UPDATE ON scale_options
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER scale_combinations_structure AFTER INSERT OR DELETE ON scale_combinations
    FOR EACH ROW EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER scale_combinations_structure_update AFTER UPDATE ON scale_combinations
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER respondent_groups_structure AFTER INSERT OR DELETE ON respondent_groups
    FOR EACH ROW EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER respondent_groups_structure_update AFTER UPDATE ON respondent_groups
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER questions_structure AFTER INSERT OR DELETE ON questions
    FOR EACH ROW EXECUTE FUNCTION heard_bump_structure_version();
CREATE TRIGGER questions_structure_update AFTER UPDATE ON questions
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION heard_bump_structure_version();

CREATE TABLE webform_drafts (
    consultation_id     bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- SHA-256 of the random token in the respondent's cookie. The token
    -- itself is never stored, so a copy of the database cannot resume
    -- anyone's draft.
    token_hash          bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    -- The reference the respondent quotes, fixed when the draft is made.
    -- It is also the idempotency key: the response is stored with
    -- channel 'webform' and source_ref = reference, and ingest never
    -- stores a source_ref twice.
    reference           text NOT NULL CHECK (reference ~ '^[0-9A-Z]{4}-[0-9A-Z]{4}$'),
    -- What the respondent has entered: question code -> option slug or
    -- text, plus '@'-prefixed keys (never a question code) for the "about
    -- you" and publishing answers.
    answers             jsonb NOT NULL DEFAULT '{}',
    -- The page to resume at.
    resume_page         text NOT NULL DEFAULT '',
    -- Set when a hidden field only bots fill in was filled in: the
    -- submission is acknowledged but no response is stored.
    honeypot            boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- 30 days after the last save (or the submission). Then an unsent
    -- draft is deleted and a sent one keeps only its record below.
    expires_at          timestamptz NOT NULL,
    submitted_at        timestamptz,
    -- yes or no, copied from the answers at submission: whether the
    -- response may be published or quoted. Kept after the answers are
    -- purged; join to responses on (consultation_id, source_ref = reference).
    publication_consent text NOT NULL DEFAULT '' CHECK (publication_consent IN ('', 'yes', 'no')),
    -- Set when a sent draft's copy of the answers has been purged.
    purged              boolean NOT NULL DEFAULT false,
    UNIQUE (consultation_id, reference)
) WITH (fillfactor = 70);
-- Page saves and submissions change no indexed column, and fillfactor
-- leaves room on each page, so their updates are HOT: no index entries.
-- The purge finds its rows by created_at (a draft cannot expire within
-- 30 days of being started), among those not purged yet.
CREATE INDEX webform_drafts_purge_idx ON webform_drafts (created_at) WHERE NOT purged;

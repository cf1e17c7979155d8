-- A campaign member's added text as a coding unit of its own (#15, item
-- 3), and merged repeats and withdrawn responses out of coding progress.
--
-- The added text is what a campaign member adds to the campaign text
-- (the "added" runs of the word diff, internal/campaign.AddedText). It is
-- stored the first time an analyst opens it for coding, so the offsets of
-- excerpts coded in it keep pointing at the words that were coded even if
-- the campaign text changes later. A response is in at most one campaign,
-- so it has at most one added text.
--
-- It is coded with one open question's codeframe, which the analyst
-- chooses per campaign (campaigns.added_question_id), so its codes count
-- with that question's answers in code_counts (segment false) through
-- the same triggers, and every page and codes.csv show them.
--
-- Units: coding_events, unit_codes and unit_states gain added_id; a unit
-- is now exactly one of an ANSWER (question_id), a LETTER SEGMENT
-- (segment_id) or an ADDED TEXT (added_id). Every existing query names an
-- answer by question_id (never NULL for answers), so none of them can
-- match an added-text row by accident.
--
-- Counted once: an added text is part of its response's own words, so a
-- code on it counts only when the same response does not already have
-- that code on another unit (its answer, or a part of its letter).
-- unit_codes.counted says so, kept in step by the triggers below when
-- the other unit's code comes or goes, and (as before) when the response
-- is merged into another or withdrawn.
--
-- Coding progress: unit_states gains counted too (false for a merged
-- repeat or a withdrawn response, kept by the same trigger on
-- responses), so "coded" figures leave them out as the bases already do.

ALTER TABLE campaigns ADD COLUMN added_question_id integer REFERENCES questions (id) ON DELETE SET NULL;

CREATE TABLE added_texts (
    consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    response_id     bigint NOT NULL UNIQUE REFERENCES responses (id) ON DELETE CASCADE,
    -- The campaign whose text it was compared with (NULL once that
    -- campaign is merged away; the added text and its codes stay).
    campaign_id     bigint REFERENCES campaigns (id) ON DELETE SET NULL,
    -- The codeframe it is coded with.
    question_id     integer NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    text            text NOT NULL,
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX added_texts_campaign_idx ON added_texts (campaign_id);

ALTER TABLE coding_events ADD COLUMN added_id bigint REFERENCES added_texts (id) ON DELETE CASCADE;
ALTER TABLE unit_codes ADD COLUMN added_id bigint REFERENCES added_texts (id) ON DELETE CASCADE;
ALTER TABLE unit_states ADD COLUMN added_id bigint REFERENCES added_texts (id) ON DELETE CASCADE;

-- Exactly one of the three names a unit (the CHECKs of 000009 were
-- unnamed: find them by what they say).
DO $$
DECLARE
    t text;
    c text;
BEGIN
    FOREACH t IN ARRAY ARRAY['coding_events', 'unit_codes', 'unit_states'] LOOP
        SELECT conname INTO c FROM pg_constraint
        WHERE conrelid = t::regclass AND contype = 'c'
          AND pg_get_constraintdef(oid) LIKE '%num_nonnulls(question_id, segment_id) = 1%';
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t, c);
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (num_nonnulls(question_id, segment_id, added_id) = 1)', t, t || '_one_unit');
    END LOOP;
END;
$$;

CREATE UNIQUE INDEX unit_codes_added_idx ON unit_codes (added_id, code_id) WHERE added_id IS NOT NULL;
CREATE UNIQUE INDEX unit_states_added_idx ON unit_states (added_id) WHERE added_id IS NOT NULL;
CREATE INDEX coding_events_added_idx ON coding_events (added_id) WHERE added_id IS NOT NULL;

ALTER TABLE unit_states ADD COLUMN counted boolean NOT NULL DEFAULT true;
UPDATE unit_states s SET counted = false
FROM responses r WHERE r.id = s.response_id AND (r.merged_into IS NOT NULL OR r.withdrawn);
-- Codes of responses withdrawn before this migration stop counting too
-- (the update corrects code_counts through the unit_codes trigger).
UPDATE unit_codes u SET counted = false
FROM responses r WHERE r.id = u.response_id AND r.withdrawn AND u.counted;

-- Whether a code on a unit counts: its response counts, and for an added
-- text, the response does not have the code on another unit already.
CREATE FUNCTION heard_unit_code_counts(rid bigint, code integer, added bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM responses r WHERE r.id = rid AND (r.merged_into IS NOT NULL OR r.withdrawn))
       AND (added IS NULL OR NOT EXISTS (
            SELECT 1 FROM unit_codes o WHERE o.code_id = code AND o.response_id = rid AND o.added_id IS NULL))
$$;

CREATE OR REPLACE FUNCTION heard_unit_codes_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.counted := heard_unit_code_counts(NEW.response_id, NEW.code_id, NEW.added_id);
    RETURN NEW;
END;
$$;

-- A code coming to (or leaving) an answer or letter part moves the same
-- response's added-text code out of (or back into) the counts.
-- Driven from the added-text codes (a small partial index), so bulk
-- coding of answers pays one probe when no added text is coded at all.
CREATE FUNCTION heard_added_codes_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM unit_codes WHERE added_id IS NOT NULL) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        UPDATE unit_codes u SET counted = false
        WHERE u.added_id IS NOT NULL AND u.counted
          AND EXISTS (SELECT 1 FROM new_rows k WHERE k.added_id IS NULL AND k.response_id = u.response_id AND k.code_id = u.code_id);
    ELSE
        UPDATE unit_codes u SET counted = heard_unit_code_counts(u.response_id, u.code_id, u.added_id)
        WHERE u.added_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM old_rows k WHERE k.added_id IS NULL AND k.response_id = u.response_id AND k.code_id = u.code_id)
          AND u.counted IS DISTINCT FROM heard_unit_code_counts(u.response_id, u.code_id, u.added_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER unit_codes_added_follow_insert AFTER INSERT ON unit_codes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_added_codes_follow();
CREATE TRIGGER unit_codes_added_follow_delete AFTER DELETE ON unit_codes
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_added_codes_follow();

-- A response merged, unmerged or withdrawn: its codes and states follow.
CREATE OR REPLACE FUNCTION heard_unit_codes_follow_response() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unit_codes u
    SET channel = n.channel, respondent_group_id = n.respondent_group_id,
        counted = n.merged_into IS NULL AND NOT n.withdrawn
                  AND (u.added_id IS NULL OR NOT EXISTS (
                       SELECT 1 FROM unit_codes o WHERE o.code_id = u.code_id AND o.response_id = u.response_id AND o.added_id IS NULL))
    FROM new_rows n
    WHERE u.response_id = n.id
      AND ((u.channel, u.respondent_group_id) IS DISTINCT FROM (n.channel, n.respondent_group_id)
           OR u.counted IS DISTINCT FROM (n.merged_into IS NULL AND NOT n.withdrawn
                  AND (u.added_id IS NULL OR NOT EXISTS (
                       SELECT 1 FROM unit_codes o WHERE o.code_id = u.code_id AND o.response_id = u.response_id AND o.added_id IS NULL))));
    UPDATE unit_states s SET counted = n.merged_into IS NULL AND NOT n.withdrawn
    FROM new_rows n
    WHERE s.response_id = n.id AND s.counted IS DISTINCT FROM (n.merged_into IS NULL AND NOT n.withdrawn);
    RETURN NULL;
END;
$$;

CREATE FUNCTION heard_unit_states_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.counted := NOT EXISTS (SELECT 1 FROM responses r WHERE r.id = NEW.response_id AND (r.merged_into IS NOT NULL OR r.withdrawn));
    RETURN NEW;
END;
$$;
CREATE TRIGGER unit_states_counted BEFORE INSERT ON unit_states
    FOR EACH ROW EXECUTE FUNCTION heard_unit_states_counted();

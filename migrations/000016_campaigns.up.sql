-- Organised campaigns and repeats (issue #15). Detection is incremental:
-- each response is signed once (response_signatures, campaign_bands) and
-- matched against earlier ones through the band index, so a new response
-- costs a few index probes, never a scan of the consultation.

CREATE TYPE campaign_status AS ENUM ('suggested', 'confirmed', 'dismissed');

-- Thresholds per consultation; a missing row means the defaults in
-- internal/campaign (DefaultThresholds).
CREATE TABLE campaign_settings (
    consultation_id       bigint PRIMARY KEY REFERENCES consultations (id) ON DELETE CASCADE,
    jaccard               real NOT NULL CHECK (jaccard > 0 AND jaccard <= 1),
    containment           real NOT NULL CHECK (containment > 0 AND containment <= 1),
    min_words             integer NOT NULL CHECK (min_words >= 1),
    min_members           integer NOT NULL CHECK (min_members >= 2)
);

CREATE TABLE campaigns (
    consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL CHECK (name <> ''),
    status          campaign_status NOT NULL DEFAULT 'suggested',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_consultation_idx ON campaigns (consultation_id, id);

-- A response's MinHash fingerprint. sender is the lower-cased email
-- address or organisation, for finding repeats ('' when unknown).
CREATE TABLE response_signatures (
    consultation_id bigint NOT NULL,
    response_id     bigint PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
    exact_hash      bigint NOT NULL,
    words           integer NOT NULL,
    shingles        integer NOT NULL,
    signature       bytea NOT NULL,
    sender          text NOT NULL DEFAULT ''
);
CREATE INDEX response_signatures_exact_idx ON response_signatures (consultation_id, exact_hash);

-- One row per response and LSH band (16 per response).
CREATE TABLE campaign_bands (
    consultation_id bigint NOT NULL,
    key             bigint NOT NULL,
    response_id     bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE
);
CREATE INDEX campaign_bands_key_idx ON campaign_bands (consultation_id, key);
CREATE INDEX campaign_bands_response_idx ON campaign_bands (response_id);

-- Membership. A response is in at most one campaign. removed marks an
-- analyst's removal, which detection respects (never re-adds it).
CREATE TABLE campaign_members (
    consultation_id bigint NOT NULL,
    campaign_id     bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    response_id     bigint PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
    similarity      real NOT NULL,
    added_by        text NOT NULL DEFAULT 'detection', -- or the analyst's email
    removed         boolean NOT NULL DEFAULT false
);
CREATE INDEX campaign_members_campaign_idx ON campaign_members (campaign_id) WHERE NOT removed;

CREATE TYPE repeat_status AS ENUM ('suggested', 'merged', 'kept_apart');

-- The same sender sending near-identical text twice. Merging keeps both
-- responses; the repeat is linked to the one kept and left out of counts
-- that exclude repeats. Nothing is deleted.
CREATE TABLE response_repeats (
    consultation_id bigint NOT NULL,
    response_id     bigint PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
    repeat_of       bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    similarity      real NOT NULL,
    status          repeat_status NOT NULL DEFAULT 'suggested',
    CHECK (response_id <> repeat_of)
);
CREATE INDEX response_repeats_consultation_idx ON response_repeats (consultation_id, status);

-- The text a response's campaign detection reads: an email's or letter's
-- whole text, else its open answers in question order.
CREATE FUNCTION heard_response_text(rid bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT s.full_text FROM response_sources s WHERE s.response_id = rid),
        (SELECT string_agg(a.text, E'\n\n' ORDER BY q.position)
           FROM answers a JOIN questions q ON q.id = a.question_id
          WHERE a.response_id = rid AND a.text IS NOT NULL),
        '')
$$;

-- The responses a campaigns filter leaves out of counts (#15): with mode
-- 'exclude' every member of a campaign that is not dismissed and has at
-- least the consultation's min_members; with 'once' all but the first
-- member of each; with '' none. Every counting query uses this one rule.
CREATE FUNCTION heard_campaign_dropped(cid bigint, mode text) RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
    SELECT m.response_id
    FROM campaign_members m
    JOIN (SELECT c.id, min(k.response_id) AS keep
          FROM campaigns c JOIN campaign_members k ON k.campaign_id = c.id AND NOT k.removed
          WHERE c.consultation_id = cid AND c.status <> 'dismissed' AND mode <> ''
          GROUP BY c.id
          HAVING count(*) >= coalesce((SELECT s.min_members FROM campaign_settings s WHERE s.consultation_id = cid), 5)
         ) big ON big.id = m.campaign_id
    WHERE NOT m.removed AND (mode = 'exclude' OR m.response_id <> big.keep)
$$;

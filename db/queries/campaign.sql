-- name: CampaignSettings :one
SELECT * FROM campaign_settings WHERE consultation_id = @consultation_id;

-- name: UpsertCampaignSettings :exec
INSERT INTO campaign_settings (consultation_id, jaccard, containment, min_words, min_members)
VALUES (@consultation_id, @jaccard, @containment, @min_words, @min_members)
ON CONFLICT (consultation_id) DO UPDATE SET jaccard = excluded.jaccard, containment = excluded.containment,
    min_words = excluded.min_words, min_members = excluded.min_members;

-- name: UnsignedResponses :many
-- Responses not yet signed, oldest first, with their text and sender.
-- The text is heard_response_text(r.id) written out, so that the
-- response_sources row joined here is not probed a second time.
SELECT r.id, r.source_ref,
       coalesce(nullif(lower(s.sender_address), ''), lower(r.organisation))::text AS sender,
       coalesce(s.full_text,
                (SELECT string_agg(a.text, E'\n\n' ORDER BY q.position)
                   FROM answers a JOIN questions q ON q.id = a.question_id
                  WHERE a.response_id = r.id AND a.text IS NOT NULL),
                '')::text AS text
FROM responses r
LEFT JOIN response_sources s ON s.response_id = r.id
WHERE r.consultation_id = @consultation_id AND r.id > @after
  AND NOT EXISTS (SELECT 1 FROM response_signatures g WHERE g.response_id = r.id)
ORDER BY r.id
LIMIT @page_size;

-- name: InsertSignature :exec
-- bands: the stored band keys (StoredBandKeys), NULL for a response too
-- short to match.
INSERT INTO response_signatures (consultation_id, response_id, exact_hash, words, shingles, signature, sender, bands)
VALUES (@consultation_id, @response_id, @exact_hash, @words, @shingles, @signature, @sender, @bands)
ON CONFLICT (response_id) DO NOTHING;

-- name: CandidateSignatures :many
-- Earlier responses sharing an LSH band or the exact hash with a new one,
-- with their campaign when they have one. Capped: a big campaign's bucket
-- holds thousands of copies and any few of them will do. The band keys
-- are the consultation's own (XOR its id), so the GIN index alone finds
-- them; "+ 0" keeps the planner from ANDing in a scan of every signature
-- of the consultation through the exact-hash index (120 ms at 200,000).
-- Each candidate's row is read once, by the scan that finds it (joining
-- the ids back to response_signatures read every row a second time
-- through its primary key); a response found by both scans comes twice,
-- which matching takes in its stride.
SELECT k.response_id, k.exact_hash, k.words, k.shingles, k.signature, k.sender,
       coalesce(m.campaign_id, 0)::bigint AS campaign_id, coalesce(c.status::text, '')::text AS campaign_status
FROM (
    (SELECT b.response_id, b.exact_hash, b.words, b.shingles, b.signature, b.sender FROM response_signatures b
      WHERE b.bands && @keys::bigint[] AND b.consultation_id + 0 = @consultation_id AND b.response_id <> @response_id
      LIMIT 200)
    UNION ALL
    (SELECT e.response_id, e.exact_hash, e.words, e.shingles, e.signature, e.sender FROM response_signatures e
      WHERE e.consultation_id = @consultation_id AND e.exact_hash = @exact_hash AND e.response_id <> @response_id
      LIMIT 20)
) k
LEFT JOIN campaign_members m ON m.response_id = k.response_id AND NOT m.removed
LEFT JOIN campaigns c ON c.id = m.campaign_id;

-- name: CreateCampaign :one
INSERT INTO campaigns (consultation_id, name) VALUES (@consultation_id, @name) RETURNING id;

-- name: AddCampaignMember :exec
-- Detection never overrides an analyst: a response already placed (or
-- removed) stays where it is.
INSERT INTO campaign_members (consultation_id, campaign_id, response_id, similarity, added_by)
VALUES (@consultation_id, @campaign_id, @response_id, @similarity, @added_by)
ON CONFLICT (response_id) DO NOTHING;

-- name: PlaceCampaignMember :exec
-- An analyst's placement: moves the response into the campaign.
INSERT INTO campaign_members (consultation_id, campaign_id, response_id, similarity, added_by)
VALUES (@consultation_id, @campaign_id, @response_id, @similarity, @added_by)
ON CONFLICT (response_id) DO UPDATE SET campaign_id = excluded.campaign_id, removed = false,
    added_by = excluded.added_by, similarity = excluded.similarity;

-- name: RemoveCampaignMember :execrows
UPDATE campaign_members SET removed = true, added_by = @added_by
WHERE campaign_id = @campaign_id AND response_id = @response_id AND NOT removed;

-- name: InsertRepeat :exec
INSERT INTO response_repeats (consultation_id, response_id, repeat_of, similarity)
VALUES (@consultation_id, @response_id, @repeat_of, @similarity)
ON CONFLICT (response_id) DO NOTHING;

-- name: ListCampaigns :many
-- Clusters big enough to be campaigns, largest first.
SELECT c.id, c.name, c.status, count(*)::bigint AS members,
       min(r.received_at)::timestamptz AS first_received, max(r.received_at)::timestamptz AS last_received
FROM campaigns c
JOIN campaign_members m ON m.campaign_id = c.id AND NOT m.removed
JOIN responses r ON r.id = m.response_id
WHERE c.consultation_id = @consultation_id
GROUP BY c.id
HAVING count(*) >= @min_members::bigint
ORDER BY count(*) DESC, c.id;

-- name: GetCampaign :one
SELECT * FROM campaigns WHERE consultation_id = @consultation_id AND id = @id;

-- name: CampaignBreakdown :many
-- Members by channel and respondent group (0: group not known).
SELECT r.channel, coalesce(r.respondent_group_id, 0)::int AS group_id, count(*)::bigint AS n
FROM campaign_members m JOIN responses r ON r.id = m.response_id
WHERE m.campaign_id = @campaign_id AND NOT m.removed
GROUP BY 1, 2 ORDER BY 1, 2;

-- name: CampaignCanonical :one
-- The most common version (by normalised text) and the response holding it.
SELECT min(g.response_id)::bigint AS response_id, count(*)::bigint AS copies, min(g.words)::integer AS words,
       heard_response_text(min(g.response_id))::text AS text
FROM campaign_members m JOIN response_signatures g ON g.response_id = m.response_id
WHERE m.campaign_id = @campaign_id AND NOT m.removed
GROUP BY g.exact_hash
ORDER BY count(*) DESC, min(g.response_id)
LIMIT 1;

-- name: CampaignMembersPage :many
-- One page of a campaign's members, by response id; with @added_only,
-- only those at least @min_words long (the campaign text's length plus
-- substantial added text).
SELECT m.response_id, m.similarity, m.added_by, r.source_ref, r.channel, r.received_at,
       heard_response_text(m.response_id)::text AS text
FROM campaign_members m
JOIN responses r ON r.id = m.response_id
LEFT JOIN response_signatures g ON g.response_id = m.response_id
WHERE m.campaign_id = @campaign_id AND NOT m.removed
  AND (NOT @added_only::boolean OR coalesce(g.words, 0) >= @min_words::integer)
ORDER BY m.response_id
LIMIT @page_size OFFSET @skip;

-- name: CampaignMemberStats :one
-- A campaign's size, how many members add substantial text (at least
-- @min_words normalised words), and when its first and last arrived.
SELECT count(*)::bigint AS members,
       count(*) FILTER (WHERE coalesce(g.words, 0) >= @min_words::integer)::bigint AS with_added,
       coalesce(min(r.received_at), now())::timestamptz AS first_received,
       coalesce(max(r.received_at), now())::timestamptz AS last_received
FROM campaign_members m
JOIN responses r ON r.id = m.response_id
LEFT JOIN response_signatures g ON g.response_id = m.response_id
WHERE m.campaign_id = @campaign_id AND NOT m.removed;

-- name: AllCampaignMembers :many
-- For campaigns.csv: every member of every campaign of reportable size.
SELECT c.id AS campaign_id, c.name, c.status, m.response_id, m.similarity, r.source_ref, r.channel,
       heard_response_text(m.response_id)::text AS text
FROM campaigns c
JOIN campaign_members m ON m.campaign_id = c.id AND NOT m.removed
JOIN responses r ON r.id = m.response_id
WHERE c.consultation_id = @consultation_id
  AND (SELECT count(*) FROM campaign_members k WHERE k.campaign_id = c.id AND NOT k.removed) >= @min_members::bigint
ORDER BY c.id, m.response_id;

-- name: RenameCampaign :execrows
UPDATE campaigns SET name = @name, updated_at = now() WHERE consultation_id = @consultation_id AND id = @id;

-- name: SetCampaignStatus :execrows
UPDATE campaigns SET status = @status, updated_at = now() WHERE consultation_id = @consultation_id AND id = @id;

-- name: MoveCampaignMembers :execrows
-- Merging: every member of one campaign joins another.
UPDATE campaign_members SET campaign_id = @into_id WHERE campaign_id = @from_id;

-- name: MoveChosenMembers :execrows
-- Splitting: the chosen members move to another campaign.
UPDATE campaign_members SET campaign_id = @into_id
WHERE campaign_id = @from_id AND response_id = ANY(@response_ids::bigint[]);

-- name: DeleteEmptyCampaign :exec
DELETE FROM campaigns c WHERE c.id = @id
  AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = c.id);

-- name: ResponseIDByRef :one
SELECT id FROM responses WHERE consultation_id = @consultation_id AND source_ref = @source_ref LIMIT 1;

-- name: UnconfirmedCampaigns :one
SELECT count(*)::bigint FROM (
    SELECT c.id FROM campaigns c JOIN campaign_members m ON m.campaign_id = c.id AND NOT m.removed
    WHERE c.consultation_id = @consultation_id AND c.status = 'suggested'
    GROUP BY c.id HAVING count(*) >= @min_members::bigint) s;

-- name: ListRepeats :many
SELECT p.response_id, p.repeat_of, p.similarity, p.status, r.source_ref, r.channel,
       o.source_ref AS repeat_of_ref, o.channel AS repeat_of_channel
FROM response_repeats p
JOIN responses r ON r.id = p.response_id
JOIN responses o ON o.id = p.repeat_of
WHERE p.consultation_id = @consultation_id
ORDER BY p.status, p.response_id;

-- name: SetRepeatStatus :one
-- The repeat's status, and the link that takes a merged repeat out of
-- every count (responses.merged_into, migrations/000021).
WITH p AS (
    UPDATE response_repeats x SET status = @status
    WHERE x.consultation_id = @consultation_id AND x.response_id = @response_id
    RETURNING x.response_id, x.repeat_of, x.status
)
UPDATE responses r
SET merged_into = CASE WHEN p.status = 'merged' THEN p.repeat_of END
FROM p
WHERE r.id = p.response_id
RETURNING r.id;

-- name: ConsultationsAwaitingDetection :many
-- Consultations with responses newer than their newest signed one: cheap
-- (one index probe each) so the periodic job can ask often.
SELECT c.id FROM consultations c
WHERE EXISTS (
    SELECT 1 FROM responses r
    WHERE r.consultation_id = c.id
      AND r.id > coalesce((SELECT max(g.response_id) FROM response_signatures g WHERE g.consultation_id = c.id), 0))
ORDER BY c.id;

-- name: MaxSignedResponse :one
SELECT coalesce(max(response_id), 0)::bigint FROM response_signatures WHERE consultation_id = @consultation_id;

-- name: CopySignatures :copyfrom
-- The whole-consultation pass (bulk.go) signs responses in pages.
INSERT INTO response_signatures (consultation_id, response_id, exact_hash, words, shingles, signature, sender, bands)
VALUES (@consultation_id, @response_id, @exact_hash, @words, @shingles, @signature, @sender, @bands);

-- name: CountMatchableSignatures :one
-- How many signatures the whole-consultation pass will read, so that it
-- sizes its arrays once (growing a 280 MB array by appending held the
-- old and the new copy at once).
SELECT count(*) FROM response_signatures
WHERE consultation_id = @consultation_id AND words >= @min_words::integer;

-- name: SignaturesPage :many
-- Every signature of a consultation long enough to match, by response
-- id, a page at a time (the whole-consultation pass).
SELECT response_id, exact_hash, words, shingles, signature, sender
FROM response_signatures
WHERE consultation_id = @consultation_id AND response_id > @after AND words >= @min_words::integer
ORDER BY response_id
LIMIT @page_size;

-- name: CampaignMemberships :many
-- Where each placed (or removed) response is, for the whole pass.
SELECT m.response_id, m.campaign_id, m.removed, c.status
FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id
WHERE m.consultation_id = @consultation_id;

-- name: AddCampaignMembers :exec
-- Detection's placements in bulk; never overrides an analyst's.
INSERT INTO campaign_members (consultation_id, campaign_id, response_id, similarity, added_by)
SELECT @consultation_id, unnest(@campaign_ids::bigint[]), unnest(@response_ids::bigint[]), unnest(@similarities::real[]), 'detection'
ON CONFLICT (response_id) DO NOTHING;

-- name: InsertRepeats :exec
INSERT INTO response_repeats (consultation_id, response_id, repeat_of, similarity)
SELECT @consultation_id, unnest(@response_ids::bigint[]), unnest(@repeat_ofs::bigint[]), unnest(@similarities::real[])
ON CONFLICT (response_id) DO NOTHING;

-- name: ResponseText :one
SELECT heard_response_text(@response_id)::text;

-- name: CountUnsignedAfter :one
-- How many responses after @after wait to be signed, counting no further
-- than @cap (the size at which detection works in bulk).
SELECT count(*)::bigint FROM (
    SELECT 1 FROM responses r
    WHERE r.consultation_id = @consultation_id AND r.id > @after
      AND NOT EXISTS (SELECT 1 FROM response_signatures g WHERE g.response_id = r.id)
    LIMIT @cap::integer) s;

-- name: LockCampaignDetection :exec
-- One detector per consultation at a time (the job, an import, a
-- webform submission), held to the end of the transaction. The
-- transaction's commit does not wait for its WAL to reach the disk
-- (synchronous_commit off, this transaction only): what detection writes
-- is derived and idempotent, so a crash can lose at most the last few
-- placements, whose responses are then unsigned and detected again by
-- the next run; nothing an analyst did is in it. The flush was a quarter
-- of one new response's time at 1M on the shared machine.
SELECT pg_advisory_xact_lock(@key::bigint), set_config('synchronous_commit', 'off', true);

-- name: TryLockCampaignDetection :one
-- As LockCampaignDetection, without waiting (the webform's own response).
SELECT coalesce(pg_try_advisory_xact_lock(@key::bigint) AND set_config('synchronous_commit', 'off', true) = 'off', false)::boolean;

-- name: CountSignatures :one
SELECT count(*)::bigint FROM response_signatures WHERE consultation_id = @consultation_id;

-- name: SetCampaignAddedQuestion :execrows
-- The open question whose codeframe codes the campaign's added text
-- (0 rows: no such open question in the consultation).
UPDATE campaigns c SET added_question_id = @question_id::integer, updated_at = now()
FROM questions q
WHERE c.consultation_id = @consultation_id AND c.id = @id
  AND q.id = @question_id::integer AND q.consultation_id = c.consultation_id AND q.kind = 'open';

-- name: RepointUncodedAddedTexts :execrows
-- A campaign's added texts nobody has coded yet follow a new codeframe
-- choice; those already coded keep the codeframe they were coded with.
UPDATE added_texts a SET question_id = @question_id, campaign_id = @campaign_id
FROM campaign_members m
WHERE m.campaign_id = @campaign_id AND NOT m.removed AND a.response_id = m.response_id
  AND a.question_id <> @question_id
  AND NOT EXISTS (SELECT 1 FROM unit_states s WHERE s.added_id = a.id AND s.version > 0);

-- name: CampaignMemberText :one
-- A member of the campaign (not removed) and its text as detection reads it.
SELECT m.response_id, heard_response_text(m.response_id)::text AS text
FROM campaign_members m
WHERE m.campaign_id = @campaign_id AND m.response_id = @response_id AND NOT m.removed;

-- name: InsertAddedText :exec
-- The first time an analyst opens a member's added text for coding;
-- opened again, the stored text stays (its coded excerpts point into it).
INSERT INTO added_texts (consultation_id, response_id, campaign_id, question_id, text, created_by)
VALUES (@consultation_id, @response_id, @campaign_id, @question_id, @text, sqlc.narg(created_by))
ON CONFLICT (response_id) DO NOTHING;

-- name: AddedTextOfResponse :one
SELECT id, question_id FROM added_texts WHERE consultation_id = @consultation_id AND response_id = @response_id;

-- name: AddedTextStates :many
-- Which of these responses have an added text stored, and whether it is coded.
SELECT a.response_id, a.id, coalesce(s.coded, false)::boolean AS coded
FROM added_texts a LEFT JOIN unit_states s ON s.added_id = a.id
WHERE a.response_id = ANY(@response_ids::bigint[]);

-- name: CampaignAddedCoded :one
-- How many of the campaign's members' added texts are coded (counted
-- responses only, like every coding progress figure).
SELECT count(*)::bigint
FROM campaign_members m
JOIN added_texts a ON a.response_id = m.response_id
JOIN unit_states s ON s.added_id = a.id AND s.coded AND s.counted
WHERE m.campaign_id = @campaign_id AND NOT m.removed;

-- name: NextAddedMember :one
-- The first member after @after with substantial added text (at least
-- @min_words normalised words) whose added text nobody has coded yet;
-- merged repeats and withdrawn responses are not offered.
SELECT m.response_id
FROM campaign_members m
JOIN response_signatures g ON g.response_id = m.response_id
JOIN responses r ON r.id = m.response_id
WHERE m.campaign_id = @campaign_id AND NOT m.removed AND g.words >= @min_words::integer AND m.response_id > @after
  AND heard_counted(r)
  AND NOT EXISTS (SELECT 1 FROM added_texts a JOIN unit_states s ON s.added_id = a.id
                  WHERE a.response_id = m.response_id AND s.coded)
ORDER BY m.response_id
LIMIT 1;

-- Coding of open text: codeframes, coding events and the current state
-- derived from them. See migrations/000009_coding.up.sql for the model.

-- name: ListFrameCodes :many
-- A codeframe: a question's codes or a theme's, retired ones included.
SELECT * FROM codes
WHERE consultation_id = @consultation_id
  AND (question_id = sqlc.narg(question_id) OR theme_id = sqlc.narg(theme_id))
ORDER BY position, id;

-- name: ListConsultationCodes :many
SELECT * FROM codes WHERE consultation_id = @consultation_id ORDER BY position, id;

-- name: GetCode :one
SELECT * FROM codes WHERE consultation_id = @consultation_id AND id = @id;

-- name: GetCodeForUpdate :one
SELECT * FROM codes WHERE consultation_id = @consultation_id AND id = @id FOR UPDATE;

-- name: CreateCode :one
INSERT INTO codes (consultation_id, question_id, theme_id, parent_id, code, name, description, position, created_by)
VALUES (@consultation_id, sqlc.narg(question_id), sqlc.narg(theme_id), sqlc.narg(parent_id), @code, @name, @description,
        (SELECT coalesce(max(position), 0) + 1 FROM codes c
         WHERE c.consultation_id = @consultation_id
           AND (c.question_id = sqlc.narg(question_id) OR c.theme_id = sqlc.narg(theme_id))),
        sqlc.narg(created_by))
RETURNING *;

-- name: UpdateCode :exec
UPDATE codes SET code = @code, name = @name, description = @description, parent_id = sqlc.narg(parent_id), updated_at = now()
WHERE id = @id;

-- name: SetCodePosition :exec
UPDATE codes SET position = @position, updated_at = now() WHERE id = @id;

-- name: RetireCode :exec
UPDATE codes SET retired_at = CASE WHEN @retired::boolean THEN coalesce(retired_at, now()) END, updated_at = now()
WHERE id = @id AND merged_into_id IS NULL;

-- name: MarkCodeMerged :exec
UPDATE codes SET merged_into_id = @into_id, retired_at = coalesce(retired_at, now()), updated_at = now() WHERE id = @id;

-- name: CountSubCodes :one
SELECT count(*) FROM codes WHERE parent_id = @id AND retired_at IS NULL;

-- name: LogMergeRemovals :exec
INSERT INTO coding_events (consultation_id, user_id, response_id, question_id, segment_id, added_id, action, code_id, position, reason)
SELECT u.consultation_id, @user_id, u.response_id, u.question_id, u.segment_id, u.added_id, 'remove', u.code_id, u.position, 'merge'
FROM unit_codes u WHERE u.code_id = @from_id
ORDER BY u.response_id;

-- name: MergeUnitCodes :many
-- Re-points every current coding of @from_id to @into_id, as events
-- (remove the old code, apply the new one), in one statement. A unit
-- that already had @into_id keeps its own row and position. Returns the
-- units touched and whether each already had the target.
-- LogMergeRemovals runs first, so history reads "removed, applied".
WITH src AS (
    DELETE FROM unit_codes u WHERE u.code_id = @from_id RETURNING u.*
), moved AS (
    SELECT s.*, EXISTS (
        SELECT 1 FROM unit_codes t
        WHERE t.code_id = @into_id AND t.response_id = s.response_id
          AND t.question_id IS NOT DISTINCT FROM s.question_id AND t.segment_id IS NOT DISTINCT FROM s.segment_id
          AND t.added_id IS NOT DISTINCT FROM s.added_id
    ) AS had_target
    FROM src s
), applied AS (
    INSERT INTO coding_events (consultation_id, user_id, response_id, question_id, segment_id, added_id, action, code_id, position,
                               excerpt_start, excerpt_end, reason)
    SELECT m.consultation_id, @user_id, m.response_id, m.question_id, m.segment_id, m.added_id, 'apply', @into_id, m.position,
           m.excerpt_start, m.excerpt_end, 'merge'
    FROM moved m WHERE NOT m.had_target
    RETURNING id, response_id, question_id, segment_id, added_id
), inserted AS (
    INSERT INTO unit_codes (consultation_id, response_id, question_id, segment_id, added_id, code_id, position,
                            excerpt_start, excerpt_end, channel, respondent_group_id, event_id)
    SELECT m.consultation_id, m.response_id, m.question_id, m.segment_id, m.added_id, @into_id, m.position,
           m.excerpt_start, m.excerpt_end, m.channel, m.respondent_group_id, a.id
    FROM moved m
    JOIN applied a ON a.response_id = m.response_id
        AND a.question_id IS NOT DISTINCT FROM m.question_id AND a.segment_id IS NOT DISTINCT FROM m.segment_id
        AND a.added_id IS NOT DISTINCT FROM m.added_id
    RETURNING 1
)
SELECT m.response_id, m.question_id, m.segment_id, m.added_id, m.had_target FROM moved m;

-- name: DropDuplicateSampleCodes :exec
-- A coder's sample codes follow a merge too: first drop the old code
-- where the coder also has the new one...
DELETE FROM sample_codes s
WHERE s.code_id = @from_id AND EXISTS (
    SELECT 1 FROM sample_codes t WHERE t.sample_id = s.sample_id AND t.response_id = s.response_id
      AND t.user_id = s.user_id AND t.code_id = @into_id);

-- name: RepointSampleCodes :exec
-- ...then re-point the rest.
UPDATE sample_codes SET code_id = @into_id WHERE code_id = @from_id;

-- name: BumpUnitAfterMerge :exec
-- After a merge: the unit's codes changed (its version moves on), and a
-- unit that had both codes now has one fewer.
UPDATE unit_states s
SET version = s.version + 1, updated_by = @user_id, updated_at = now(),
    code_count = s.code_count - CASE WHEN @had_target::boolean THEN 1 ELSE 0 END
WHERE s.response_id = @response_id
  AND s.question_id IS NOT DISTINCT FROM sqlc.narg(question_id)::integer
  AND s.segment_id IS NOT DISTINCT FROM sqlc.narg(segment_id)::bigint
  AND s.added_id IS NOT DISTINCT FROM sqlc.narg(added_id)::bigint;

-- name: AnswerForCoding :one
-- An answer to code, with what the coding screen shows beside it.
SELECT a.response_id, a.question_id, a.text::text AS text, a.channel, a.respondent_group_id,
       r.organisation, r.on_behalf_of_org, r.consultation_id,
       coalesce(d.publication_consent, '')::text AS publication_consent
FROM answers a
JOIN responses r ON r.id = a.response_id
LEFT JOIN webform_drafts d ON r.channel = 'webform' AND d.consultation_id = r.consultation_id AND d.reference = r.source_ref
WHERE a.question_id = @question_id AND a.response_id = @response_id AND a.text IS NOT NULL;

-- name: SegmentForCoding :one
-- Offsets are bytes (internal/segment): the caller slices full_text.
SELECT s.id, s.response_id, s.theme_id, s.question_id, src.full_text, s.start_offset, s.end_offset,
       r.channel, r.respondent_group_id, r.organisation, r.on_behalf_of_org, r.consultation_id
FROM segments s
JOIN responses r ON r.id = s.response_id
JOIN response_sources src ON src.response_id = s.response_id
WHERE s.id = @id AND s.consultation_id = @consultation_id;

-- name: EnsureAnswerState :exec
INSERT INTO unit_states (consultation_id, response_id, question_id)
VALUES (@consultation_id, @response_id, @question_id)
ON CONFLICT (question_id, response_id) WHERE segment_id IS NULL DO NOTHING;

-- name: EnsureSegmentState :exec
INSERT INTO unit_states (consultation_id, response_id, segment_id)
VALUES (@consultation_id, @response_id, @segment_id)
ON CONFLICT (segment_id) WHERE segment_id IS NOT NULL DO NOTHING;

-- name: EnsureAddedState :exec
INSERT INTO unit_states (consultation_id, response_id, added_id)
VALUES (@consultation_id, @response_id, @added_id)
ON CONFLICT (added_id) WHERE added_id IS NOT NULL DO NOTHING;

-- name: LockUnitState :one
-- The unit's state, locked until the transaction ends, so two analysts'
-- saves to the same unit are serialised and the second sees the first's version.
SELECT * FROM unit_states
WHERE response_id = @response_id
  AND question_id IS NOT DISTINCT FROM sqlc.narg(question_id)::integer
  AND segment_id IS NOT DISTINCT FROM sqlc.narg(segment_id)::bigint
  AND added_id IS NOT DISTINCT FROM sqlc.narg(added_id)::bigint
FOR UPDATE;

-- name: GetUnitState :one
SELECT * FROM unit_states
WHERE response_id = @response_id
  AND question_id IS NOT DISTINCT FROM sqlc.narg(question_id)::integer
  AND segment_id IS NOT DISTINCT FROM sqlc.narg(segment_id)::bigint
  AND added_id IS NOT DISTINCT FROM sqlc.narg(added_id)::bigint;

-- name: SaveUnitState :exec
UPDATE unit_states
SET code_count = @code_count, no_code = @no_code, quote_worthy = @quote_worthy, evidence_rich = @evidence_rich,
    note = @note, version = version + 1, updated_by = @updated_by, updated_at = now()
WHERE response_id = @response_id
  AND question_id IS NOT DISTINCT FROM sqlc.narg(question_id)::integer
  AND segment_id IS NOT DISTINCT FROM sqlc.narg(segment_id)::bigint
  AND added_id IS NOT DISTINCT FROM sqlc.narg(added_id)::bigint;

-- name: ListUnitCodes :many
SELECT * FROM unit_codes
WHERE response_id = @response_id
  AND question_id IS NOT DISTINCT FROM sqlc.narg(question_id)::integer
  AND segment_id IS NOT DISTINCT FROM sqlc.narg(segment_id)::bigint
  AND added_id IS NOT DISTINCT FROM sqlc.narg(added_id)::bigint
ORDER BY code_id;

-- name: InsertCodingEvent :one
INSERT INTO coding_events (consultation_id, user_id, response_id, question_id, segment_id, added_id, action, code_id,
                           excerpt_start, excerpt_end, position, flag, note, origin, origin_version, confidence,
                           sample_id, reason)
VALUES (@consultation_id, sqlc.narg(user_id), @response_id, sqlc.narg(question_id), sqlc.narg(segment_id), sqlc.narg(added_id), @action,
        sqlc.narg(code_id), sqlc.narg(excerpt_start), sqlc.narg(excerpt_end), @position, @flag, @note, @origin,
        @origin_version, sqlc.narg(confidence), sqlc.narg(sample_id), @reason)
RETURNING id;

-- name: UpsertUnitCode :exec
INSERT INTO unit_codes (consultation_id, response_id, question_id, segment_id, code_id, position,
                        excerpt_start, excerpt_end, channel, respondent_group_id, event_id)
SELECT @consultation_id, r.id, sqlc.narg(question_id), sqlc.narg(segment_id), @code_id, @position,
       sqlc.narg(excerpt_start), sqlc.narg(excerpt_end), r.channel, r.respondent_group_id, @event_id
FROM responses r WHERE r.id = @response_id
ON CONFLICT (question_id, response_id, code_id) WHERE segment_id IS NULL
DO UPDATE SET position = excluded.position, excerpt_start = excluded.excerpt_start,
              excerpt_end = excluded.excerpt_end, event_id = excluded.event_id;

-- name: UpsertSegmentCode :exec
INSERT INTO unit_codes (consultation_id, response_id, segment_id, code_id, position,
                        excerpt_start, excerpt_end, channel, respondent_group_id, event_id)
SELECT @consultation_id, r.id, @segment_id, @code_id, @position,
       sqlc.narg(excerpt_start), sqlc.narg(excerpt_end), r.channel, r.respondent_group_id, @event_id
FROM responses r WHERE r.id = @response_id
ON CONFLICT (segment_id, code_id) WHERE segment_id IS NOT NULL
DO UPDATE SET position = excluded.position, excerpt_start = excluded.excerpt_start,
              excerpt_end = excluded.excerpt_end, event_id = excluded.event_id;

-- name: UpsertAddedCode :exec
INSERT INTO unit_codes (consultation_id, response_id, added_id, code_id, position,
                        excerpt_start, excerpt_end, channel, respondent_group_id, event_id)
SELECT @consultation_id, r.id, @added_id, @code_id, @position,
       sqlc.narg(excerpt_start), sqlc.narg(excerpt_end), r.channel, r.respondent_group_id, @event_id
FROM responses r WHERE r.id = @response_id
ON CONFLICT (added_id, code_id) WHERE added_id IS NOT NULL
DO UPDATE SET position = excluded.position, excerpt_start = excluded.excerpt_start,
              excerpt_end = excluded.excerpt_end, event_id = excluded.event_id;

-- name: DeleteUnitCode :exec
DELETE FROM unit_codes
WHERE response_id = @response_id AND code_id = @code_id
  AND question_id IS NOT DISTINCT FROM sqlc.narg(question_id)::integer
  AND segment_id IS NOT DISTINCT FROM sqlc.narg(segment_id)::bigint
  AND added_id IS NOT DISTINCT FROM sqlc.narg(added_id)::bigint;

-- name: UnitHistory :many
-- Every event on a unit, oldest first, with who did it.
SELECT e.*, coalesce(u.email, '')::text AS actor, coalesce(c.code, '')::text AS code_key, coalesce(c.name, '')::text AS code_name
FROM coding_events e
LEFT JOIN users u ON u.id = e.user_id
LEFT JOIN codes c ON c.id = e.code_id
WHERE e.response_id = @response_id
  AND e.question_id IS NOT DISTINCT FROM sqlc.narg(question_id)::integer
  AND e.segment_id IS NOT DISTINCT FROM sqlc.narg(segment_id)::bigint
  AND e.added_id IS NOT DISTINCT FROM sqlc.narg(added_id)::bigint
ORDER BY e.id;

-- name: NextUncodedAnswer :one
-- The first answer after @after that nobody has coded yet (in the main
-- coding), skipping @skip (the one on screen). The keyset bounds both
-- sides of the anti-join: without "s.response_id > @after" a merge
-- anti-join read the coded answers from the start (300,000 at 1M: 157-
-- 235 ms) to reach the first one past @after.
SELECT a.response_id FROM answers a
WHERE a.question_id = @question_id AND a.text IS NOT NULL AND a.response_id > @after
  AND a.response_id <> @skip AND a.counted -- a merged repeat (#15) is not coded
  AND NOT EXISTS (
      SELECT 1 FROM unit_states s
      WHERE s.question_id = a.question_id AND s.response_id = a.response_id AND s.coded AND s.segment_id IS NULL
        AND s.response_id > @after)
ORDER BY a.response_id
LIMIT 1;

-- name: NextUncodedSegment :one
-- The first part of a letter about the theme (and no question) after
-- @after that nobody has coded.
SELECT s.id FROM segments s
WHERE s.consultation_id = @consultation_id AND s.theme_id = @theme_id AND s.question_id IS NULL AND s.id > @after AND s.id <> @skip
  AND NOT EXISTS (SELECT 1 FROM unit_states u WHERE u.segment_id = s.id AND u.coded)
ORDER BY s.id
LIMIT 1;

-- name: CodeCounts :many
-- The one aggregation path for code counts: every page and export reads
-- them here. Empty filter arrays mean "all".
SELECT code_id, segment, position, respondent_group_id, channel, sum(n)::bigint AS n
FROM code_counts
WHERE consultation_id = @consultation_id
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
GROUP BY code_id, segment, position, respondent_group_id, channel
HAVING sum(n) <> 0
ORDER BY code_id, segment, position, respondent_group_id, channel;

-- name: RecountCodes :many
-- Counts straight from unit_codes, for checking the summary.
SELECT code_id, (segment_id IS NOT NULL)::boolean AS segment, position, coalesce(respondent_group_id, 0)::integer AS respondent_group_id,
       channel, count(*)::bigint AS n
FROM unit_codes
WHERE consultation_id = @consultation_id AND counted
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5;

-- name: ThemeSegmentCounts :many
-- Letter segments per theme: the base of a theme's code counts.
SELECT s.theme_id::integer AS theme_id, count(*)::bigint AS n
FROM segments s JOIN responses r ON r.id = s.response_id
WHERE s.consultation_id = @consultation_id AND s.theme_id IS NOT NULL AND heard_counted(r)
  AND (cardinality(@group_ids::integer[]) = 0 OR coalesce(r.respondent_group_id, 0) = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR r.channel::text = ANY(@channels::text[]))
GROUP BY s.theme_id;

-- name: CodedAnswers :many
-- Coded units per question (answers) and per theme (segments), from the
-- summary kept by triggers on unit_states (000029).
SELECT question_id, theme_id, sum(n)::bigint AS n
FROM coding_progress
WHERE consultation_id = @consultation_id
GROUP BY question_id, theme_id
HAVING sum(n) <> 0
ORDER BY question_id, theme_id;

-- name: RecountCodedAnswers :many
-- The same straight from unit_states, for checking the summary.
SELECT s.question_id::integer AS question_id, 0::integer AS theme_id, count(*)::bigint AS n
FROM unit_states s
WHERE s.consultation_id = @consultation_id AND s.question_id IS NOT NULL AND s.coded AND s.counted
GROUP BY s.question_id
UNION ALL
SELECT 0, g.theme_id::integer, count(*)::bigint
FROM unit_states s JOIN segments g ON g.id = s.segment_id
WHERE s.consultation_id = @consultation_id AND s.segment_id IS NOT NULL AND s.coded AND s.counted AND g.theme_id IS NOT NULL
GROUP BY g.theme_id
ORDER BY 1, 2;

-- name: CodersByQuestion :many
-- Who coded how many answers (main coding, by analysts) per question,
-- from the summary kept by triggers on coding_events (000033).
SELECT c.question_id, u.email, sum(c.n)::bigint AS n
FROM coder_counts c JOIN users u ON u.id = c.user_id
WHERE c.consultation_id = @consultation_id
GROUP BY c.question_id, u.email
HAVING sum(c.n) <> 0
ORDER BY 1, 3 DESC, 2;

-- name: CodersForQuestion :many
-- The same for one question, for its coding page.
SELECT u.email, sum(c.n)::bigint AS n
FROM coder_counts c JOIN users u ON u.id = c.user_id
WHERE c.question_id = @question_id
GROUP BY u.email
HAVING sum(c.n) <> 0
ORDER BY 2 DESC, 1;

-- name: RecountCodersByQuestion :many
-- The same straight from the analyst events, for checking the summary:
-- an answer counts once for every analyst who applied a code to it or
-- marked "no code applies" in the main coding.
SELECT e.question_id::integer AS question_id, u.email, count(DISTINCT e.response_id)::bigint AS n
FROM coding_events e JOIN users u ON u.id = e.user_id
WHERE e.consultation_id = @consultation_id AND e.question_id IS NOT NULL AND e.sample_id IS NULL
  AND e.origin = 'analyst' AND e.action IN ('apply', 'no_code')
GROUP BY e.question_id, u.email
ORDER BY e.question_id, n DESC, u.email;

-- name: QuoteWorthy :many
-- Quote-worthy answers to a question with their codes, for the quotes list.
SELECT s.response_id, a.text::text AS text, a.respondent_group_id, r.on_behalf_of_org, r.organisation,
       coalesce(array_agg(uc.code_id ORDER BY uc.code_id) FILTER (WHERE uc.code_id IS NOT NULL), '{}')::integer[] AS code_ids
FROM unit_states s
JOIN answers a ON a.question_id = s.question_id AND a.response_id = s.response_id
JOIN responses r ON r.id = s.response_id
LEFT JOIN unit_codes uc ON uc.question_id = s.question_id AND uc.response_id = s.response_id AND uc.segment_id IS NULL
WHERE s.question_id = @question_id AND s.segment_id IS NULL AND s.quote_worthy
GROUP BY s.response_id, a.text, a.respondent_group_id, r.on_behalf_of_org, r.organisation
ORDER BY s.response_id;

-- name: AnswersForBulk :many
-- A page of a question's answers for coding many at once, with their
-- current codes: all, not yet coded, or with code @code_id.
SELECT a.response_id, a.text::text AS text, a.respondent_group_id, a.channel,
       coalesce(s.coded, false)::boolean AS coded,
       coalesce((SELECT array_agg(uc.code_id ORDER BY uc.code_id) FROM unit_codes uc
                 WHERE uc.question_id = a.question_id AND uc.response_id = a.response_id AND uc.segment_id IS NULL), '{}')::integer[] AS code_ids
FROM answers a
LEFT JOIN unit_states s ON s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL
WHERE a.question_id = @question_id AND a.text IS NOT NULL AND a.response_id > @after
  AND (NOT @uncoded::boolean OR NOT coalesce(s.coded, false))
  AND (@code_id::integer = 0 OR EXISTS (
      SELECT 1 FROM unit_codes uc WHERE uc.code_id = @code_id AND uc.question_id = a.question_id
        AND uc.response_id = a.response_id AND uc.segment_id IS NULL))
ORDER BY a.response_id
LIMIT @page_size;

-- Double coding.

-- name: CreateSample :one
INSERT INTO coding_samples (consultation_id, question_id, share_percent, size, created_by)
VALUES (@consultation_id, @question_id, @share_percent, 0, @created_by)
RETURNING id;

-- name: AddSampleCoder :exec
INSERT INTO coding_sample_coders (sample_id, slot, user_id) VALUES (@sample_id, @slot, @user_id);

-- name: DrawSample :execrows
-- A reproducible pseudo-random draw of @size answers to the question.
INSERT INTO coding_sample_answers (sample_id, response_id)
SELECT @sample_id::bigint, a.response_id FROM answers a
WHERE a.question_id = @question_id AND a.text IS NOT NULL
ORDER BY md5(a.response_id::text || ':' || @sample_id::text)
LIMIT @size;

-- name: SetSampleSize :exec
UPDATE coding_samples SET size = @size WHERE id = @id;

-- name: ListSamples :many
SELECT s.*, q.code AS question_code
FROM coding_samples s JOIN questions q ON q.id = s.question_id
WHERE s.consultation_id = @consultation_id
ORDER BY s.id DESC;

-- name: GetSample :one
SELECT s.*, q.code AS question_code
FROM coding_samples s JOIN questions q ON q.id = s.question_id
WHERE s.consultation_id = @consultation_id AND s.id = @id;

-- name: SampleCoders :many
-- The two coders and how many of the sample's answers each has finished.
SELECT c.slot, c.user_id, u.email,
       (SELECT count(*) FROM coding_sample_done d WHERE d.sample_id = c.sample_id AND d.user_id = c.user_id)::bigint AS done
FROM coding_sample_coders c JOIN users u ON u.id = c.user_id
WHERE c.sample_id = @sample_id
ORDER BY c.slot;

-- name: SampleAnswerIDs :many
SELECT response_id FROM coding_sample_answers WHERE sample_id = @sample_id ORDER BY response_id;

-- name: InSample :one
SELECT EXISTS (SELECT 1 FROM coding_sample_answers WHERE sample_id = @sample_id AND response_id = @response_id);

-- name: NextSampleAnswer :one
-- The coder's next answer of the sample not finished yet.
SELECT a.response_id FROM coding_sample_answers a
WHERE a.sample_id = @sample_id AND a.response_id > @after AND a.response_id <> @skip
  AND NOT EXISTS (SELECT 1 FROM coding_sample_done d
                  WHERE d.sample_id = a.sample_id AND d.response_id = a.response_id AND d.user_id = @user_id)
ORDER BY a.response_id
LIMIT 1;

-- name: CoderSampleCodes :many
-- One coder's codes on one answer of the sample.
SELECT * FROM sample_codes
WHERE sample_id = @sample_id AND response_id = @response_id AND user_id = @user_id
ORDER BY code_id;

-- name: AllSampleCodes :many
SELECT * FROM sample_codes WHERE sample_id = @sample_id ORDER BY response_id, user_id, code_id;

-- name: UpsertSampleCode :exec
INSERT INTO sample_codes (sample_id, response_id, user_id, code_id, position, excerpt_start, excerpt_end, event_id)
VALUES (@sample_id, @response_id, @user_id, @code_id, @position, sqlc.narg(excerpt_start), sqlc.narg(excerpt_end), @event_id)
ON CONFLICT (sample_id, response_id, user_id, code_id)
DO UPDATE SET position = excluded.position, excerpt_start = excluded.excerpt_start,
              excerpt_end = excluded.excerpt_end, event_id = excluded.event_id;

-- name: DeleteSampleCode :exec
DELETE FROM sample_codes WHERE sample_id = @sample_id AND response_id = @response_id AND user_id = @user_id AND code_id = @code_id;

-- name: MarkSampleDone :exec
INSERT INTO coding_sample_done (sample_id, response_id, user_id) VALUES (@sample_id, @response_id, @user_id)
ON CONFLICT DO NOTHING;

-- name: SampleDone :many
SELECT * FROM coding_sample_done WHERE sample_id = @sample_id;

-- name: SampleResolutions :many
SELECT r.*, u.email FROM coding_resolutions r JOIN users u ON u.id = r.resolved_by
WHERE r.sample_id = @sample_id ORDER BY r.response_id, r.code_id;

-- name: InsertResolution :exec
INSERT INTO coding_resolutions (sample_id, response_id, code_id, present, position, resolved_by)
VALUES (@sample_id, @response_id, @code_id, @present, @position, @resolved_by);

-- name: SampleAnswerTexts :many
SELECT a.response_id, a.text::text AS text, a.respondent_group_id
FROM coding_sample_answers s JOIN answers a ON a.response_id = s.response_id AND a.question_id = @question_id
WHERE s.sample_id = @sample_id
ORDER BY s.response_id;

-- name: CountOpenAnswers :one
SELECT count(*) FROM answers WHERE question_id = @question_id AND text IS NOT NULL;

-- name: CountCodedAnswers :one
-- A question's coded answers, from the summary kept by triggers on
-- unit_states (000029), which leaves out merged repeats and withdrawn
-- responses (000026) as the page's base does. Counting unit_states here
-- read every coded answer on every question and theme page (300,000 at a
-- million responses: 120-450 ms, most of those pages' time).
SELECT coalesce(sum(n), 0)::bigint FROM coding_progress
WHERE consultation_id = @consultation_id AND question_id = @question_id AND theme_id = 0;

-- name: CodingFrontier :one
-- The furthest answer coded so far: "next uncoded" continues from here.
SELECT coalesce(max(response_id), 0)::bigint FROM unit_states
WHERE question_id = @question_id AND segment_id IS NULL AND coded;

-- name: AddedForCoding :one
-- A campaign member's added text to code, with what the coding screen
-- shows beside it (as AnswerForCoding).
SELECT a.id, a.response_id, a.question_id, a.campaign_id, a.text, r.channel, r.respondent_group_id,
       r.organisation, r.on_behalf_of_org,
       coalesce(d.publication_consent, '')::text AS publication_consent
FROM added_texts a
JOIN responses r ON r.id = a.response_id
LEFT JOIN webform_drafts d ON r.channel = 'webform' AND d.consultation_id = r.consultation_id AND d.reference = r.source_ref
WHERE a.id = @id AND a.consultation_id = @consultation_id;

-- Auto-coding (internal/autocode).

-- name: AutocodeExamples :many
-- A question's answers an analyst has finished or turned a suggestion
-- down on, with their current codes and rejected suggestions.
SELECT a.response_id, a.text::text AS text,
       coalesce(s.coded, false)::boolean AS coded,
       coalesce((SELECT array_agg(uc.code_id ORDER BY uc.code_id) FROM unit_codes uc
                 WHERE uc.question_id = a.question_id AND uc.response_id = a.response_id AND uc.segment_id IS NULL),
                '{}')::integer[] AS codes,
       coalesce((SELECT array_agg(g.code_id ORDER BY g.code_id) FROM autocode_suggestions g
                 WHERE g.question_id = a.question_id AND g.response_id = a.response_id AND g.status = 'rejected'),
                '{}')::integer[] AS rejected
FROM answers a
LEFT JOIN unit_states s ON s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL
WHERE a.question_id = @question_id AND a.text IS NOT NULL
  AND (s.coded OR EXISTS (SELECT 1 FROM autocode_suggestions g
                          WHERE g.question_id = a.question_id AND g.response_id = a.response_id AND g.status = 'rejected'))
ORDER BY a.response_id;

-- name: AutocodeUncoded :many
-- A page of a question's answers nobody has finished coding.
SELECT a.response_id, a.text::text AS text
FROM answers a
WHERE a.question_id = @question_id AND a.text IS NOT NULL AND a.response_id > @after
  AND NOT EXISTS (SELECT 1 FROM unit_states s
                  WHERE s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL AND s.coded)
ORDER BY a.response_id
LIMIT @lim;

-- name: AutocodeCodedCount :one
-- Coded and counted answers of a question, from the summary the triggers
-- on unit_states keep (000029): counting unit_states read 300,000 rows
-- (73 ms cold) on every suggestions page at a million answers.
SELECT coalesce(sum(n), 0)::bigint FROM coding_progress WHERE question_id = @question_id AND theme_id = 0;

-- name: DeletePendingSuggestions :exec
DELETE FROM autocode_suggestions WHERE question_id = @question_id AND origin = @origin AND status = 'pending';

-- name: InsertSuggestions :exec
-- Words are joined by a unit separator (chr(31)). A decided suggestion
-- is kept as it was; a pending one takes the more confident proposal.
INSERT INTO autocode_suggestions AS g (question_id, response_id, code_id, origin, version, confidence, words)
SELECT @question_id, u.response_id, u.code_id, @origin, @version, u.confidence,
       CASE WHEN u.words = '' THEN '{}'::text[] ELSE string_to_array(u.words, chr(31)) END
FROM (SELECT unnest(@response_ids::bigint[]) AS response_id, unnest(@code_ids::integer[]) AS code_id,
             unnest(@confidences::real[]) AS confidence, unnest(@words::text[]) AS words) u
ON CONFLICT (question_id, response_id, code_id) DO UPDATE
SET origin = excluded.origin, version = excluded.version, confidence = excluded.confidence, words = excluded.words,
    created_at = now()
WHERE g.status = 'pending' AND (g.origin = excluded.origin OR excluded.confidence > g.confidence);

-- name: InsertAutocodeModel :exec
INSERT INTO autocode_models (question_id, version, examples, model, quality)
VALUES (@question_id, @version, @examples, @model, @quality);

-- name: LatestAutocodeModel :one
SELECT * FROM autocode_models WHERE question_id = @question_id ORDER BY id DESC LIMIT 1;

-- name: AutocodeModelCount :one
SELECT count(*) FROM autocode_models WHERE question_id = @question_id;

-- name: PendingSuggestionCounts :many
-- Open suggestions per code, from the counts the triggers keep.
SELECT code_id, sum(n)::bigint AS n
FROM autocode_suggestion_counts
WHERE question_id = @question_id
GROUP BY code_id
HAVING sum(n) > 0;

-- name: SuggestionCountAbove :one
-- Open suggestions of a code in confidence bands at or above band
-- (floor(confidence·20)): what a bulk accept at band/20 would code.
SELECT coalesce(sum(n), 0)::bigint FROM autocode_suggestion_counts
WHERE question_id = @question_id AND code_id = @code_id AND band >= @band;

-- name: ListSuggestions :many
-- A code's open suggestions, most confident first, keyset-paginated.
SELECT g.response_id, g.code_id, g.origin, g.version, g.confidence, g.words, a.text::text AS text
FROM autocode_suggestions g
JOIN answers a ON a.question_id = g.question_id AND a.response_id = g.response_id
WHERE g.question_id = @question_id AND g.code_id = @code_id AND g.status = 'pending'
  AND g.confidence >= @min_confidence
  AND (g.confidence, g.response_id) < (@before_confidence::real, @before_response::bigint)
ORDER BY g.confidence DESC, g.response_id DESC
LIMIT @lim;

-- name: SuggestionsAbove :many
-- Open suggestions of a code in confidence bands at or above band, most
-- confident first: what a bulk accept codes (lim at a time).
SELECT g.response_id, g.origin, g.version, g.confidence
FROM autocode_suggestions g
WHERE g.question_id = @question_id AND g.code_id = @code_id AND g.status = 'pending'
  AND floor(g.confidence * 20) >= @band::integer
ORDER BY g.confidence DESC, g.response_id DESC
LIMIT @lim;

-- name: GetSuggestion :one
SELECT * FROM autocode_suggestions
WHERE question_id = @question_id AND response_id = @response_id AND code_id = @code_id;

-- name: DecideSuggestions :exec
-- An accepted suggestion was superseded a moment before, in the same
-- transaction, by the code it applied (trigger on unit_codes).
UPDATE autocode_suggestions
SET status = @status, decided_by = @decided_by, decided_at = now()
WHERE question_id = @question_id AND code_id = @code_id AND response_id = ANY(@response_ids::bigint[])
  AND decided_at IS NULL
  AND (status = 'pending' OR (status = 'superseded' AND @status = 'accepted'));

-- name: QuestionRules :many
SELECT r.code_id, r.query FROM code_rules r JOIN codes c ON c.id = r.code_id
WHERE c.question_id = @question_id AND c.retired_at IS NULL
ORDER BY c.position, c.id;

-- name: UpsertCodeRule :exec
INSERT INTO code_rules (code_id, query, updated_by) VALUES (@code_id, @query, @updated_by)
ON CONFLICT (code_id) DO UPDATE SET query = excluded.query, updated_by = excluded.updated_by, updated_at = now();

-- name: DeleteCodeRule :exec
DELETE FROM code_rules WHERE code_id = @code_id;

-- name: RuleMatches :many
-- Unfinished answers of a question that a rule's query matches.
SELECT a.response_id, a.text::text AS text
FROM answers a
WHERE a.question_id = @question_id AND a.text IS NOT NULL
  AND a.search @@ heard_search_query(@search::text, @words::text[], @variants::text[])
  AND NOT EXISTS (SELECT 1 FROM unit_states s
                  WHERE s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL AND s.coded)
ORDER BY a.response_id
LIMIT 100000;

-- name: AutocodeQuestions :many
-- Questions with a codeframe: the ones a model can be trained for.
SELECT DISTINCT consultation_id, question_id::integer AS question_id
FROM codes WHERE question_id IS NOT NULL AND retired_at IS NULL
ORDER BY consultation_id, question_id;

-- name: LatestAutocodeQuality :one
-- The newest model's version and measured quality, without the model.
SELECT version, quality FROM autocode_models WHERE question_id = @question_id ORDER BY id DESC LIMIT 1;

-- name: AnswerSuggestions :many
-- One answer's open suggestions, most confident first.
SELECT code_id, origin, version, confidence, words FROM autocode_suggestions
WHERE question_id = @question_id AND response_id = @response_id AND status = 'pending'
ORDER BY confidence DESC, code_id;

-- name: UpsertConsultation :one
INSERT INTO consultations (slug, title, description, opens_on, closes_on, status)
VALUES (@slug, @title, @description, @opens_on, @closes_on, @status)
ON CONFLICT (slug) DO UPDATE
SET title = excluded.title, description = excluded.description,
    opens_on = excluded.opens_on, closes_on = excluded.closes_on,
    status = excluded.status,
    -- Loading the same definition again changes nothing, not even this.
    updated_at = CASE
        WHEN (consultations.title, consultations.description, consultations.opens_on, consultations.closes_on, consultations.status)
             IS DISTINCT FROM (excluded.title, excluded.description, excluded.opens_on, excluded.closes_on, excluded.status)
        THEN now() ELSE consultations.updated_at END
RETURNING id;

-- name: GetConsultationBySlug :one
SELECT * FROM consultations WHERE slug = @slug;

-- name: ListConsultations :many
SELECT * FROM consultations ORDER BY opens_on DESC, slug;

-- name: UpsertTheme :one
INSERT INTO themes (consultation_id, slug, title, position)
VALUES (@consultation_id, @slug, @title, @position)
ON CONFLICT (consultation_id, slug) DO UPDATE
SET title = excluded.title, position = excluded.position
RETURNING id;

-- name: ListThemes :many
SELECT * FROM themes WHERE consultation_id = @consultation_id ORDER BY position;

-- name: DeleteThemesNotIn :exec
DELETE FROM themes WHERE consultation_id = @consultation_id AND NOT (slug = ANY(@slugs::text[]));

-- name: UpsertScale :one
INSERT INTO scales (consultation_id, slug)
VALUES (@consultation_id, @slug)
ON CONFLICT (consultation_id, slug) DO UPDATE SET slug = excluded.slug
RETURNING id;

-- name: ListScales :many
SELECT * FROM scales WHERE consultation_id = @consultation_id ORDER BY slug;

-- name: DeleteScalesNotIn :exec
DELETE FROM scales WHERE consultation_id = @consultation_id AND NOT (slug = ANY(@slugs::text[]));

-- name: UpsertScaleOption :one
INSERT INTO scale_options (consultation_id, scale_id, slug, label, position, no_view)
VALUES (@consultation_id, @scale_id, @slug, @label, @position, @no_view)
ON CONFLICT (scale_id, slug) DO UPDATE
SET label = excluded.label, position = excluded.position, no_view = excluded.no_view
RETURNING id;

-- name: ListScaleOptions :many
SELECT * FROM scale_options WHERE consultation_id = @consultation_id ORDER BY scale_id, position;

-- name: DeleteScaleOptionsNotIn :exec
DELETE FROM scale_options WHERE scale_id = @scale_id AND NOT (slug = ANY(@slugs::text[]));

-- name: UpsertScaleCombination :exec
INSERT INTO scale_combinations (consultation_id, scale_id, slug, label, position, option_slugs)
VALUES (@consultation_id, @scale_id, @slug, @label, @position, @option_slugs)
ON CONFLICT (scale_id, slug) DO UPDATE
SET label = excluded.label, position = excluded.position, option_slugs = excluded.option_slugs;

-- name: ListScaleCombinations :many
SELECT * FROM scale_combinations WHERE consultation_id = @consultation_id ORDER BY scale_id, position;

-- name: DeleteScaleCombinationsNotIn :exec
DELETE FROM scale_combinations WHERE scale_id = @scale_id AND NOT (slug = ANY(@slugs::text[]));

-- name: UpsertRespondentGroup :one
INSERT INTO respondent_groups (consultation_id, slug, label, position, email_domains)
VALUES (@consultation_id, @slug, @label, @position, @email_domains)
ON CONFLICT (consultation_id, slug) DO UPDATE
SET label = excluded.label, position = excluded.position, email_domains = excluded.email_domains
RETURNING id;

-- name: ListRespondentGroups :many
SELECT * FROM respondent_groups WHERE consultation_id = @consultation_id ORDER BY position;

-- name: DeleteRespondentGroupsNotIn :exec
DELETE FROM respondent_groups WHERE consultation_id = @consultation_id AND NOT (slug = ANY(@slugs::text[]));

-- name: UpsertQuestion :one
INSERT INTO questions (consultation_id, code, kind, prompt, hint, theme_id, scale_id, position, required)
VALUES (@consultation_id, @code, @kind, @prompt, @hint, @theme_id, @scale_id, @position, @required)
ON CONFLICT (consultation_id, code) DO UPDATE
SET kind = excluded.kind, prompt = excluded.prompt, hint = excluded.hint,
    theme_id = excluded.theme_id, scale_id = excluded.scale_id,
    position = excluded.position, required = excluded.required
RETURNING id;

-- name: SetQuestionExplains :exec
UPDATE questions SET explains_id = @explains_id WHERE id = @id;

-- name: ListQuestions :many
SELECT * FROM questions WHERE consultation_id = @consultation_id ORDER BY position;

-- name: DeleteQuestionsNotIn :exec
DELETE FROM questions WHERE consultation_id = @consultation_id AND NOT (code = ANY(@codes::text[]));

-- name: AnsweredQuestionsNotIn :many
-- Questions a new definition would remove although they already have answers.
SELECT q.code FROM questions q
WHERE q.consultation_id = @consultation_id AND NOT (q.code = ANY(@codes::text[]))
  AND EXISTS (SELECT 1 FROM answer_counts c WHERE c.question_id = q.id AND c.n <> 0)
ORDER BY q.code;

-- name: AnsweredOptionsNotIn :many
-- Options a new definition would remove although answers chose them.
SELECT o.slug FROM scale_options o
WHERE o.scale_id = @scale_id AND NOT (o.slug = ANY(@slugs::text[]))
  AND EXISTS (SELECT 1 FROM answer_counts c WHERE c.option_id = o.id AND c.n <> 0)
ORDER BY o.slug;

-- Publishing a consultation's results: whether they are public, and the
-- small-number thresholds that protect them. Used by consultation.Service
-- (internal/consultation/publish.go); results.Service reads the thresholds
-- to protect what it shows.

-- name: SetResultsPublished :exec
UPDATE consultations SET results_published = @published, updated_at = now() WHERE id = @id;

-- name: ResultsPublished :one
-- A draft's results are never public, whatever the flag says.
SELECT (results_published AND status <> 'draft')::boolean AS results_published FROM consultations WHERE slug = @slug;

-- name: SuppressionThresholds :one
SELECT suppress_public, suppress_viewer FROM consultations WHERE id = @id;

-- name: SetSuppressionThresholds :exec
UPDATE consultations SET suppress_public = @suppress_public, suppress_viewer = @suppress_viewer, updated_at = now() WHERE id = @id;

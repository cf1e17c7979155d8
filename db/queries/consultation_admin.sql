-- Consultations managed from the browser (internal/consultation/manage.go).

-- name: ConsultationSlugTaken :one
SELECT EXISTS (SELECT 1 FROM consultations WHERE slug = @slug);

-- name: UpdateConsultationDetails :exec
UPDATE consultations
SET title = @title, description = @description, opens_on = @opens_on, closes_on = @closes_on, updated_at = now()
WHERE id = @id;

-- name: MoveConsultationStatus :execrows
-- Only from the status the admin saw, so two admins cannot skip a step.
UPDATE consultations SET status = @to_status, updated_at = now()
WHERE id = @id AND status = @from_status;

-- name: SetThemeAbout :exec
UPDATE themes SET summary = @summary, proposal_url = @proposal_url
WHERE consultation_id = @consultation_id AND slug = @slug;

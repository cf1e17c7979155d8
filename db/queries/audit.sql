-- name: InsertAudit :exec
INSERT INTO audit_log (user_id, actor, action, consultation_id, record_type, record_id, detail, client_ip)
VALUES (@user_id, @actor, @action, @consultation_id, @record_type, @record_id, @detail, @client_ip);

-- name: ListAudit :many
-- Newest first, continuing before id @before (0: from the newest).
SELECT a.*, coalesce(c.slug, '')::text AS consultation_slug
FROM audit_log a
LEFT JOIN consultations c ON c.id = a.consultation_id
WHERE (@before::bigint = 0 OR a.id < @before)
  AND (@action::text = '' OR a.action = @action)
  AND (@actor::text = '' OR lower(a.actor) = lower(@actor))
  AND (@consultation::text = '' OR c.slug = @consultation)
ORDER BY a.id DESC
LIMIT @page_size;

-- name: AuditActions :many
SELECT DISTINCT action FROM audit_log ORDER BY action;

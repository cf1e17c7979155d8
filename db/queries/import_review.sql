-- name: NeedsTyping :many
-- Emails and letters from which no text could be read, oldest first, for
-- analysts to type up.
SELECT r.id, r.received_at, r.source_ref, s.sender_name, s.sender_address, s.subject, s.attachments, s.warnings
FROM response_sources s
JOIN responses r ON r.id = s.response_id
WHERE s.consultation_id = @consultation_id AND s.needs_typing
ORDER BY r.received_at, r.id
LIMIT 500;

-- name: ConfirmOrganisation :one
UPDATE response_sources SET organisation_confirmed = true
WHERE response_id = @id AND consultation_id = @consultation_id
RETURNING response_id;

-- name: ClearOrganisation :one
-- An analyst says the response was not sent on behalf of an organisation.
UPDATE responses SET organisation = '', on_behalf_of_org = false
WHERE id = @id AND consultation_id = @consultation_id
RETURNING id;

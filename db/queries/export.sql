-- name: ExportResponses :many
-- One page of a consultation's responses, in id order, after id @after.
SELECT r.id, r.channel, coalesce(g.slug, '')::text AS group_slug, r.on_behalf_of_org, r.organisation,
       r.received_at, r.source_ref, r.batch_id, coalesce(sg.slug, '')::text AS suggested_group,
       coalesce(s.sender_name, '')::text AS sender_name, coalesce(s.sender_address, '')::text AS sender_address,
       coalesce(s.subject, '')::text AS subject, coalesce(s.attachments, '[]')::jsonb AS attachments,
       coalesce(d.publication_consent, '')::text AS publication_consent, r.merged_into
FROM responses r
LEFT JOIN webform_drafts d ON r.channel = 'webform' AND d.consultation_id = r.consultation_id AND d.reference = r.source_ref
LEFT JOIN respondent_groups g ON g.id = r.respondent_group_id
LEFT JOIN respondent_groups sg ON sg.id = r.suggested_group_id
LEFT JOIN response_sources s ON s.response_id = r.id
WHERE r.consultation_id = @consultation_id AND r.id > @after
ORDER BY r.id
LIMIT @page_size;

-- name: ExportAnswers :many
SELECT a.response_id, q.code, coalesce(o.slug, '')::text AS option_slug, a.text
FROM answers a
JOIN questions q ON q.id = a.question_id
LEFT JOIN scale_options o ON o.id = a.option_id
WHERE a.response_id = ANY(@response_ids::bigint[])
ORDER BY a.response_id, q.position;

-- name: ExportSegments :many
-- The segments of responses @response_ids with their text and where it
-- starts in bytes (start_byte), so a redacted export can apply the
-- full text's redactions (byte offsets) to each segment.
SELECT sg.response_id, sg.start_offset, sg.end_offset, sg.how, sg.theme_id, coalesce(q.code, '')::text AS question_code,
       substring(src.full_text FROM sg.start_offset + 1 FOR sg.end_offset - sg.start_offset)::text AS text,
       octet_length(substring(src.full_text FOR sg.start_offset))::integer AS start_byte
FROM segments sg
JOIN response_sources src ON src.response_id = sg.response_id
LEFT JOIN questions q ON q.id = sg.question_id
WHERE sg.response_id = ANY(@response_ids::bigint[])
ORDER BY sg.response_id, sg.position;

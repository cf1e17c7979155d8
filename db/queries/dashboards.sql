-- name: SuppressionThresholds :one
SELECT suppress_public, suppress_viewer FROM consultations WHERE id = @id;

-- name: SetSuppressionThresholds :exec
UPDATE consultations SET suppress_public = @suppress_public, suppress_viewer = @suppress_viewer, updated_at = now() WHERE id = @id;

-- name: CrossByAnswer :many
-- Responses by their answer to @by_question_id (0: none) and to
-- @question_id (0: none), within the group and channel filter.
SELECT coalesce(e.option_id, 0)::integer AS row_option, coalesce(a.option_id, 0)::integer AS col_option,
       (a.response_id IS NOT NULL)::boolean AS answered, count(*)::bigint AS n
FROM responses r
LEFT JOIN answers a ON a.response_id = r.id AND a.question_id = @question_id
LEFT JOIN answers e ON e.response_id = r.id AND e.question_id = @by_question_id
WHERE r.consultation_id = @consultation_id
  AND (cardinality(@group_ids::integer[]) = 0 OR coalesce(r.respondent_group_id, 0) = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR r.channel::text = ANY(@channels::text[]))
GROUP BY 1, 2, 3;

-- name: CrossByOrganisation :many
-- Responses by whether they were sent for an organisation and by their
-- answer to @question_id (0: none).
SELECT r.on_behalf_of_org AS org, coalesce(a.option_id, 0)::integer AS col_option,
       (a.response_id IS NOT NULL)::boolean AS answered, count(*)::bigint AS n
FROM responses r
LEFT JOIN answers a ON a.response_id = r.id AND a.question_id = @question_id
WHERE r.consultation_id = @consultation_id
  AND (cardinality(@group_ids::integer[]) = 0 OR coalesce(r.respondent_group_id, 0) = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR r.channel::text = ANY(@channels::text[]))
GROUP BY 1, 2, 3;

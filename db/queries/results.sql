-- name: AnswerCounts :many
-- The one aggregation path: every page and export reads its counts here.
-- Empty filter arrays mean "all".
SELECT question_id, option_id, respondent_group_id, channel, sum(n)::bigint AS n
FROM answer_counts
WHERE consultation_id = @consultation_id
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
GROUP BY question_id, option_id, respondent_group_id, channel
HAVING sum(n) <> 0
ORDER BY question_id, option_id, respondent_group_id, channel;

-- name: ResponseCounts :many
SELECT respondent_group_id, channel, sum(n)::bigint AS n
FROM response_counts
WHERE consultation_id = @consultation_id
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
GROUP BY respondent_group_id, channel
HAVING sum(n) <> 0
ORDER BY respondent_group_id, channel;

-- name: OpenAnswers :many
-- One page of an open question's answers, newest response last,
-- continuing after response id @after.
-- Webform responses carry the respondent's answer to the publication
-- question, so analysts know what they may quote.
SELECT a.response_id, a.text::text AS text, a.channel, a.respondent_group_id, r.organisation, r.on_behalf_of_org,
       coalesce(d.publication_consent, '')::text AS publication_consent
FROM answers a
JOIN responses r ON r.id = a.response_id
LEFT JOIN webform_drafts d ON r.channel = 'webform' AND d.consultation_id = r.consultation_id AND d.reference = r.source_ref
WHERE a.question_id = @question_id AND a.text IS NOT NULL AND a.counted
  AND a.response_id > @after
  AND (cardinality(@group_ids::integer[]) = 0 OR coalesce(a.respondent_group_id, 0) = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR a.channel::text = ANY(@channels::text[]))
ORDER BY a.response_id
LIMIT @page_size;

-- name: RecountAnswers :many
-- Counts straight from the answers table, for checking the summary.
SELECT question_id, coalesce(option_id, 0)::integer AS option_id,
       coalesce(respondent_group_id, 0)::integer AS respondent_group_id, channel, count(*)::bigint AS n
FROM answers
WHERE consultation_id = @consultation_id AND counted
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;

-- name: RecountResponses :many
SELECT coalesce(respondent_group_id, 0)::integer AS respondent_group_id, channel, count(*)::bigint AS n
FROM responses
WHERE consultation_id = @consultation_id AND heard_counted(responses)
GROUP BY 1, 2
ORDER BY 1, 2;

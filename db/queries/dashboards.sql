-- name: CrossByAnswer :many
-- Responses by their answer to @by_question_id (0: none) and to
-- @question_id (0: none), within the group and channel filter.
-- CrossByAnswer, CrossByOrganisation, FilteredAnswerCounts and
-- ResponsesPerDay count straight from responses and answers. Since
-- migration 000028 pages read the summaries or response_facts instead
-- (facts.sql); these stay as the reference the tests compare them with
-- (results.OneByOne).
SELECT coalesce(e.option_id, 0)::integer AS row_option, coalesce(a.option_id, 0)::integer AS col_option,
       (a.response_id IS NOT NULL)::boolean AS answered, count(*)::bigint AS n
FROM responses r
LEFT JOIN answers a ON a.response_id = r.id AND a.question_id = @question_id
LEFT JOIN answers e ON e.response_id = r.id AND e.question_id = @by_question_id
WHERE r.consultation_id = @consultation_id AND heard_counted(r)
  AND (cardinality(@group_ids::integer[]) = 0 OR coalesce(r.respondent_group_id, 0) = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR r.channel::text = ANY(@channels::text[]))
  AND (cardinality(@event_ids::bigint[]) = 0 OR r.event_id = ANY(@event_ids::bigint[]))
  AND (@respondent::text = '' OR r.on_behalf_of_org = (@respondent::text = 'organisation'))
  AND (@campaigns::text = '' OR r.id NOT IN (SELECT heard_campaign_dropped(@consultation_id, @campaigns::text)))
  AND r.received_at >= @received_from::timestamptz AND r.received_at < @received_before::timestamptz
  AND (cardinality(@answer_pairs::bigint[]) = 0
       OR (SELECT count(DISTINCT x.question_id) FROM answers x
           WHERE x.response_id = r.id AND x.option_id IS NOT NULL
             AND x.question_id::bigint * 4294967296 + x.option_id = ANY(@answer_pairs::bigint[]))
          = (SELECT count(DISTINCT p / 4294967296) FROM unnest(@answer_pairs::bigint[]) AS p))
GROUP BY 1, 2, 3;

-- name: CrossByOrganisation :many
-- Responses by whether they were sent for an organisation and by their
-- answer to @question_id (0: none).
SELECT r.on_behalf_of_org AS org, coalesce(a.option_id, 0)::integer AS col_option,
       (a.response_id IS NOT NULL)::boolean AS answered, count(*)::bigint AS n
FROM responses r
LEFT JOIN answers a ON a.response_id = r.id AND a.question_id = @question_id
WHERE r.consultation_id = @consultation_id AND heard_counted(r)
  AND (cardinality(@group_ids::integer[]) = 0 OR coalesce(r.respondent_group_id, 0) = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR r.channel::text = ANY(@channels::text[]))
  AND (cardinality(@event_ids::bigint[]) = 0 OR r.event_id = ANY(@event_ids::bigint[]))
  AND (@respondent::text = '' OR r.on_behalf_of_org = (@respondent::text = 'organisation'))
  AND (@campaigns::text = '' OR r.id NOT IN (SELECT heard_campaign_dropped(@consultation_id, @campaigns::text)))
  AND r.received_at >= @received_from::timestamptz AND r.received_at < @received_before::timestamptz
  AND (cardinality(@answer_pairs::bigint[]) = 0
       OR (SELECT count(DISTINCT x.question_id) FROM answers x
           WHERE x.response_id = r.id AND x.option_id IS NOT NULL
             AND x.question_id::bigint * 4294967296 + x.option_id = ANY(@answer_pairs::bigint[]))
          = (SELECT count(DISTINCT p / 4294967296) FROM unnest(@answer_pairs::bigint[]) AS p))
GROUP BY 1, 2, 3;

-- name: ThemeLetters :many
-- Emails and letters with a part attributed to the theme (directly or
-- through one of its questions), by respondent group and channel.
SELECT coalesce(r.respondent_group_id, 0)::integer AS respondent_group_id, r.channel, count(DISTINCT sg.response_id)::bigint AS n
FROM segments sg
JOIN responses r ON r.id = sg.response_id
LEFT JOIN questions q ON q.id = sg.question_id
WHERE sg.consultation_id = @consultation_id AND heard_counted(r)
  AND (sg.theme_id = @theme_id OR q.theme_id = @theme_id)
GROUP BY 1, 2;

-- name: ReportNarratives :many
SELECT section, body FROM report_narratives WHERE consultation_id = @consultation_id;

-- name: SetReportNarrative :exec
INSERT INTO report_narratives (consultation_id, section, body) VALUES (@consultation_id, @section, @body)
ON CONFLICT (consultation_id, section) DO UPDATE SET body = excluded.body, updated_at = now();

-- name: CreateReportSnapshot :one
INSERT INTO report_snapshots (consultation_id, created_by, codeframe_version, markdown, html)
VALUES (@consultation_id, @created_by, @codeframe_version, @markdown, @html)
RETURNING id, created_at;

-- name: ReportSnapshots :many
SELECT id, created_at, created_by, codeframe_version FROM report_snapshots
WHERE consultation_id = @consultation_id ORDER BY id DESC;

-- name: ReportSnapshot :one
SELECT * FROM report_snapshots WHERE consultation_id = @consultation_id AND id = @id;

-- name: CodeframeVersion :one
-- What a frozen report records of the coding: how many codes, and the
-- last coding event it saw.
SELECT (SELECT count(*) FROM codes c WHERE c.consultation_id = @consultation_id)::bigint AS codes,
       (SELECT coalesce(max(e.id), 0) FROM coding_events e WHERE e.consultation_id = @consultation_id)::bigint AS last_event;

-- name: FilteredAnswerCounts :many
-- The aggregation path for filters the summary tables do not keep
-- (events, organisation or individual, answers, received dates): the
-- same cells as AnswerCounts, counted from the responses that match.
-- @answer_pairs are question_id * 2^32 + option_id; a response must
-- give one of the options named for every question named.
-- @campaigns (#15): '' counts every response; 'exclude' leaves out members
-- of campaigns not dismissed; 'once' keeps one member (the first) of each.
WITH r AS (
    SELECT r.id
    FROM responses r
    WHERE r.consultation_id = @consultation_id AND heard_counted(r)
      AND (@campaigns::text = '' OR r.id NOT IN (SELECT heard_campaign_dropped(@consultation_id, @campaigns::text)))
      AND (cardinality(@group_ids::integer[]) = 0 OR coalesce(r.respondent_group_id, 0) = ANY(@group_ids::integer[]))
      AND (cardinality(@channels::text[]) = 0 OR r.channel::text = ANY(@channels::text[]))
      AND (cardinality(@event_ids::bigint[]) = 0 OR r.event_id = ANY(@event_ids::bigint[]))
      AND (@respondent::text = '' OR r.on_behalf_of_org = (@respondent::text = 'organisation'))
      AND r.received_at >= @received_from::timestamptz AND r.received_at < @received_before::timestamptz
      AND (cardinality(@answer_pairs::bigint[]) = 0
           OR (SELECT count(DISTINCT x.question_id) FROM answers x
               WHERE x.response_id = r.id AND x.option_id IS NOT NULL
                 AND x.question_id::bigint * 4294967296 + x.option_id = ANY(@answer_pairs::bigint[]))
              = (SELECT count(DISTINCT p / 4294967296) FROM unnest(@answer_pairs::bigint[]) AS p))
)
SELECT a.question_id, coalesce(a.option_id, 0)::integer AS option_id, coalesce(a.respondent_group_id, 0)::integer AS respondent_group_id,
       a.channel, count(*)::bigint AS n, false AS is_response
FROM answers a JOIN r ON r.id = a.response_id
GROUP BY 1, 2, 3, 4
UNION ALL
SELECT 0, 0, coalesce(rr.respondent_group_id, 0)::integer, rr.channel, count(*)::bigint, true
FROM responses rr JOIN r ON r.id = rr.id
GROUP BY 3, 4
ORDER BY 6, 1, 2, 3, 4;

-- name: ResponsesPerDay :many
-- Responses per day received (London time) and channel, within the
-- group and channel filter.
SELECT (r.received_at AT TIME ZONE 'Europe/London')::date AS day, r.channel, count(*)::bigint AS n
FROM responses r
WHERE r.consultation_id = @consultation_id AND heard_counted(r)
  AND (cardinality(@group_ids::integer[]) = 0 OR coalesce(r.respondent_group_id, 0) = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR r.channel::text = ANY(@channels::text[]))
  AND (cardinality(@event_ids::bigint[]) = 0 OR r.event_id = ANY(@event_ids::bigint[]))
  AND (@respondent::text = '' OR r.on_behalf_of_org = (@respondent::text = 'organisation'))
  AND (@campaigns::text = '' OR r.id NOT IN (SELECT heard_campaign_dropped(@consultation_id, @campaigns::text)))
  AND r.received_at >= @received_from::timestamptz AND r.received_at < @received_before::timestamptz
  AND (cardinality(@answer_pairs::bigint[]) = 0
       OR (SELECT count(DISTINCT x.question_id) FROM answers x
           WHERE x.response_id = r.id AND x.option_id IS NOT NULL
             AND x.question_id::bigint * 4294967296 + x.option_id = ANY(@answer_pairs::bigint[]))
          = (SELECT count(DISTINCT p / 4294967296) FROM unnest(@answer_pairs::bigint[]) AS p))
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: SetQuestionReference :exec
UPDATE questions SET reference = @reference WHERE id = @id;

-- name: QuestionReferences :many
SELECT id, reference FROM questions WHERE consultation_id = @consultation_id AND reference IS NOT NULL;

-- name: ResponseDays :many
-- Responses per day from the summary kept by triggers, within the group
-- and channel filter.
SELECT day, channel, sum(n)::bigint AS n
FROM response_days
WHERE consultation_id = @consultation_id
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
GROUP BY day, channel
HAVING sum(n) <> 0
ORDER BY day, channel;

-- name: ThemeQuotes :many
-- Answers on the theme's questions that analysts flagged as worth
-- quoting, with the respondent group to attribute them to (never a
-- name). With @consented_only, only webform answers whose respondent
-- agreed to publication.
SELECT a.text::text AS text, q.code, coalesce(g.label, '')::text AS group_label, a.response_id, a.question_id
FROM unit_states s
JOIN answers a ON a.response_id = s.response_id AND a.question_id = s.question_id
JOIN questions q ON q.id = s.question_id
JOIN responses r ON r.id = s.response_id
LEFT JOIN respondent_groups g ON g.id = r.respondent_group_id
LEFT JOIN webform_drafts d ON r.channel = 'webform' AND d.consultation_id = r.consultation_id AND d.reference = r.source_ref
WHERE s.consultation_id = @consultation_id AND s.quote_worthy AND s.segment_id IS NULL
  AND q.theme_id = @theme_id AND a.text IS NOT NULL
  AND (NOT @consented_only::boolean OR coalesce(d.publication_consent, '') = 'yes')
ORDER BY q.position, s.response_id
LIMIT 5;

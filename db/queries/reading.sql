-- Reading open text: the filtered, searchable answer lists, one
-- response whole, the letters list.
--
-- FilteredAnswers and CountFilteredAnswers share one WHERE clause, kept
-- identical by hand (sqlc has no fragments). Every optional condition is
-- "(parameter says off OR condition)", and results runs these queries
-- with plan_cache_mode = force_custom_plan, so the planner folds the
-- switched-off conditions away and plans each filter combination for what
-- it is (a generic plan walked every answer: issue #10).
--
-- Answers to closed and equality questions are LEFT JOINs on the
-- answers primary key (unique per response and question) rather than
-- subqueries: switched off, the join is removed; switched on, its WHERE
-- condition makes it an inner join that the planner can drive from
-- answers_option_idx ("everyone who said Not at all to Q1a") or probe
-- per answer, whichever its statistics favour. Three are joins; any
-- further ones are matched as pairs question_id * 2^32 + option_id,
-- where one answer per question means matching as many rows as there
-- are questions. unit_states is joined the same way for the coding
-- filters.

-- name: FilteredAnswers :many
-- @few says the caller has counted at most a thousand or so matches:
-- the order is then written so no index provides it, and the planner
-- finds the few matches by their most selective condition and sorts
-- them, instead of walking every answer in received (or length) order
-- hoping to meet twenty matches early.
SELECT a.response_id, a.text::text AS text, a.channel, a.respondent_group_id,
       r.organisation, r.on_behalf_of_org, r.received_at,
       coalesce(d.publication_consent, '')::text AS publication_consent,
       coalesce(s.quote_worthy, false)::boolean AS quote_worthy,
       CASE WHEN @search::text = '' THEN ''
            ELSE ts_headline('english'::regconfig, a.text, heard_search_query(@search::text, @words::text[], @variants::text[]),
                             'HighlightAll=true, StartSel=' || chr(1) || ', StopSel=' || chr(2))
       END::text AS headline
FROM answers a
JOIN responses r ON r.id = a.response_id
LEFT JOIN answers b1 ON b1.response_id = a.response_id AND b1.question_id = @answer1_question::integer
LEFT JOIN answers b2 ON b2.response_id = a.response_id AND b2.question_id = @answer2_question::integer
LEFT JOIN answers b3 ON b3.response_id = a.response_id AND b3.question_id = @answer3_question::integer
LEFT JOIN unit_states s ON s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL
LEFT JOIN webform_drafts d ON r.channel = 'webform' AND d.consultation_id = r.consultation_id AND d.reference = r.source_ref
WHERE a.question_id = @question_id AND a.text IS NOT NULL AND r.consultation_id = @consultation_id
  AND (NOT @filter_groups::boolean OR a.respondent_group_id = ANY(@group_ids::integer[])
       OR (a.respondent_group_id IS NULL AND @unknown_group::boolean))
  AND (cardinality(@channels::text[]) = 0 OR a.channel = ANY(CAST(@channels::text[] AS channel[])))
  AND (cardinality(@event_ids::bigint[]) = 0 OR r.event_id = ANY(@event_ids::bigint[]))
  AND (@respondent::text = '' OR (r.on_behalf_of_org AND @respondent::text = 'organisation')
       OR (NOT r.on_behalf_of_org AND @respondent::text = 'individual'))
  AND (sqlc.narg('received_from')::timestamptz IS NULL OR r.received_at >= sqlc.narg('received_from')::timestamptz)
  AND (sqlc.narg('received_before')::timestamptz IS NULL OR r.received_at < sqlc.narg('received_before')::timestamptz)
  AND (@answer1_question::integer = 0 OR b1.option_id = ANY(@answer1_options::integer[]))
  AND (@answer2_question::integer = 0 OR b2.option_id = ANY(@answer2_options::integer[]))
  AND (@answer3_question::integer = 0 OR b3.option_id = ANY(@answer3_options::integer[]))
  AND (cardinality(@answer_question_ids::integer[]) = 0 OR (
        SELECT count(*) FROM answers b
        WHERE b.response_id = a.response_id AND b.question_id = ANY(@answer_question_ids::integer[])
          AND b.question_id::bigint * 4294967296 + b.option_id = ANY(@answer_pairs::bigint[])
       ) = cardinality(@answer_question_ids::integer[]))
  AND (@search::text = '' OR a.search @@ heard_search_query(@search::text, @words::text[], @variants::text[]))
  AND (cardinality(@code_ids::integer[]) = 0 OR EXISTS (
        SELECT 1 FROM unit_codes uc
        WHERE uc.question_id = a.question_id AND uc.response_id = a.response_id AND uc.segment_id IS NULL
          AND uc.code_id = ANY(@code_ids::integer[])))
  AND (@coding::text <> 'uncoded' OR s.coded IS NOT TRUE)
  AND (@coding::text <> 'nocode' OR coalesce(s.code_count, 0) = 0)
  AND (NOT @quote::boolean OR s.quote_worthy)
ORDER BY CASE WHEN @sort::text = 'length' AND NOT @few::boolean THEN length(a.text) END DESC,
         CASE WHEN @sort::text = 'length' AND @few::boolean THEN length(a.text) + 0 END DESC,
         CASE WHEN @sort::text = 'length' THEN a.response_id END,
         CASE WHEN @sort::text <> 'length' AND NOT @few::boolean THEN r.received_at END,
         CASE WHEN @sort::text <> 'length' AND @few::boolean THEN r.received_at + interval '0 s' END,
         a.response_id
LIMIT @page_size OFFSET @skip;

-- name: CountFilteredAnswers :one
-- How many answers FilteredAnswers would list, counting no further
-- than @cap (the caller shows "more than ..." at the cap).
SELECT count(*)::bigint FROM (
SELECT 1
FROM answers a
JOIN responses r ON r.id = a.response_id
LEFT JOIN answers b1 ON b1.response_id = a.response_id AND b1.question_id = @answer1_question::integer
LEFT JOIN answers b2 ON b2.response_id = a.response_id AND b2.question_id = @answer2_question::integer
LEFT JOIN answers b3 ON b3.response_id = a.response_id AND b3.question_id = @answer3_question::integer
LEFT JOIN unit_states s ON s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL
WHERE a.question_id = @question_id AND a.text IS NOT NULL AND r.consultation_id = @consultation_id
  AND (NOT @filter_groups::boolean OR a.respondent_group_id = ANY(@group_ids::integer[])
       OR (a.respondent_group_id IS NULL AND @unknown_group::boolean))
  AND (cardinality(@channels::text[]) = 0 OR a.channel = ANY(CAST(@channels::text[] AS channel[])))
  AND (cardinality(@event_ids::bigint[]) = 0 OR r.event_id = ANY(@event_ids::bigint[]))
  AND (@respondent::text = '' OR (r.on_behalf_of_org AND @respondent::text = 'organisation')
       OR (NOT r.on_behalf_of_org AND @respondent::text = 'individual'))
  AND (sqlc.narg('received_from')::timestamptz IS NULL OR r.received_at >= sqlc.narg('received_from')::timestamptz)
  AND (sqlc.narg('received_before')::timestamptz IS NULL OR r.received_at < sqlc.narg('received_before')::timestamptz)
  AND (@answer1_question::integer = 0 OR b1.option_id = ANY(@answer1_options::integer[]))
  AND (@answer2_question::integer = 0 OR b2.option_id = ANY(@answer2_options::integer[]))
  AND (@answer3_question::integer = 0 OR b3.option_id = ANY(@answer3_options::integer[]))
  AND (cardinality(@answer_question_ids::integer[]) = 0 OR (
        SELECT count(*) FROM answers b
        WHERE b.response_id = a.response_id AND b.question_id = ANY(@answer_question_ids::integer[])
          AND b.question_id::bigint * 4294967296 + b.option_id = ANY(@answer_pairs::bigint[])
       ) = cardinality(@answer_question_ids::integer[]))
  AND (@search::text = '' OR a.search @@ heard_search_query(@search::text, @words::text[], @variants::text[]))
  AND (cardinality(@code_ids::integer[]) = 0 OR EXISTS (
        SELECT 1 FROM unit_codes uc
        WHERE uc.question_id = a.question_id AND uc.response_id = a.response_id AND uc.segment_id IS NULL
          AND uc.code_id = ANY(@code_ids::integer[])))
  AND (@coding::text <> 'uncoded' OR s.coded IS NOT TRUE)
  AND (@coding::text <> 'nocode' OR coalesce(s.code_count, 0) = 0)
  AND (NOT @quote::boolean OR s.quote_worthy)
LIMIT @cap) AS capped;

-- name: TextAnswerCount :one
-- An open question's answers under a group and channel filter, exactly,
-- from the summary table: the list's total when no other filter is set.
SELECT coalesce(sum(n), 0)::bigint
FROM answer_counts
WHERE consultation_id = @consultation_id AND question_id = @question_id AND option_id = 0
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]));

-- name: FrameCodes :many
-- The codes of one codeframe (a question's, or a theme's for letter
-- segments) that a list can be filtered by.
SELECT id, code, name FROM codes
WHERE (question_id = @question_id OR theme_id = @theme_id) AND retired_at IS NULL
ORDER BY position, id;

-- Reading open text: the filtered, searchable answer lists, one
-- response whole, the letters list.
--
-- Each list has one query that applies its filters, FilteredAnswerKeys
-- for a question's answers and ThemeSegmentKeys for a theme's letter
-- passages. It returns keys only; the page's rows are then read by id
-- (AnswersByID, SegmentsByID). The same query counts (unordered, up to
-- a cap), pages (in order, with an offset) and finds a response's
-- neighbours in the list, so the filter block is written once per list.
--
-- Every optional condition is "(parameter says off OR condition)", and
-- results runs these queries with plan_cache_mode = force_custom_plan,
-- so the planner folds the switched-off conditions away and plans each
-- filter combination for what it is (a generic plan walked every answer:
-- issue #10). @sort works the same way: '' leaves every ORDER BY item a
-- constant, which the planner drops (no order to keep, so it finds a few
-- matches by their most selective condition); 'received' or 'length'
-- orders the list. Channels are four booleans, not an array cast to
-- channel[]: the cast is not folded into a constant, and the planner then
-- guessed the channel's share and left answers_text_group_idx unused.
--
-- Answers to closed and equality questions are LEFT JOINs on the
-- answers primary key (unique per response and question) rather than
-- subqueries: switched off, the join is removed; switched on, its WHERE
-- condition makes it an inner join that the planner can drive from
-- answers_option_idx ("everyone who said Not at all to Q1a") or probe
-- per answer, whichever its statistics favour. Three are joins; any
-- further ones are matched as pairs question_id * 2^32 + option_id,
-- where one answer per question means matching as many rows as there
-- are questions.
--
-- "Not yet coded" and "no code" are anti-joins on unit_states (its
-- partial index of coded answers), not a LEFT JOIN filtered afterwards,
-- which could not be planned as an anti-join.


-- name: FilteredAnswerKeys :many
-- The answers to a question under a filter, as keys: unordered up to a
-- cap (@sort '') to count them and sort them here, or one page in list
-- order (@sort 'received' or 'length', from @skip).
SELECT a.response_id, r.received_at, length(a.text)::integer AS length
FROM answers a
JOIN responses r ON r.id = a.response_id
LEFT JOIN answers b1 ON b1.response_id = a.response_id AND b1.question_id = @answer1_question::integer
LEFT JOIN answers b2 ON b2.response_id = a.response_id AND b2.question_id = @answer2_question::integer
LEFT JOIN answers b3 ON b3.response_id = a.response_id AND b3.question_id = @answer3_question::integer
WHERE a.question_id = @question_id AND a.text IS NOT NULL AND a.counted AND r.consultation_id = @consultation_id
  -- Keyset bounds on both tables, whichever drives the plan (0 for none;
  -- "not yet coded" starts at the question's first uncoded answer).
  AND a.response_id >= @min_response_id AND r.id >= @min_response_id
  -- The answers a code or quote filter allows, when they are few (read
  -- first by CodedResponses): the list probes just them.
  AND (cardinality(@only_ids::bigint[]) = 0 OR a.response_id = ANY(@only_ids::bigint[]))
  AND (NOT @filter_groups::boolean OR a.respondent_group_id = ANY(@group_ids::integer[])
       OR (a.respondent_group_id IS NULL AND @unknown_group::boolean))
  AND (NOT @filter_channels::boolean OR (a.channel = 'webform' AND @webform::boolean) OR (a.channel = 'email' AND @email::boolean)
       OR (a.channel = 'letter' AND @letter::boolean) OR (a.channel = 'event' AND @event::boolean))
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
  -- The coding filters' switches sit inside the subqueries: an EXISTS
  -- under an OR stays a per-answer subplan, while a top-level one becomes
  -- an anti- or semi-join the planner can run as a merge or hash join
  -- (and, switched off, over an empty relation).
  AND NOT EXISTS (
        SELECT 1 FROM unit_states s
        WHERE @coding::text = 'uncoded'
          AND s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL AND s.coded)
  AND NOT EXISTS (
        SELECT 1 FROM unit_states s
        WHERE @coding::text = 'nocode'
          AND s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL AND s.code_count > 0)
  AND (NOT @quote::boolean OR EXISTS (
        SELECT 1 FROM unit_states s
        WHERE s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL AND s.quote_worthy))
  -- A page reached from the one before it starts after that page's last
  -- key, in list order (@after_id 0: from @skip), so page 500 costs what
  -- page 2 does. Received order is bounded on responses_received_idx;
  -- longest first on answers_text_length_idx (the length, then the ids).
  AND (@after_id::bigint = 0 OR @sort::text <> 'received'
       OR (r.received_at, r.id) > (@after_at::timestamptz, @after_id::bigint))
  AND (@after_id::bigint = 0 OR @sort::text <> 'length'
       OR (length(a.text) <= @after_length::integer
           AND (length(a.text) < @after_length::integer OR a.response_id > @after_id::bigint)))
ORDER BY CASE WHEN @sort::text = 'length' THEN length(a.text) END DESC,
         CASE WHEN @sort::text = 'received' THEN r.received_at END,
         CASE WHEN @sort::text <> '' THEN a.response_id END
LIMIT @lim OFFSET @skip;

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

-- name: ResponseDetail :one
-- One response as an analyst reads it whole.
SELECT r.id, r.channel, r.source_ref, r.received_at, r.on_behalf_of_org, r.organisation, r.respondent_group_id,
       r.event_id, coalesce(e.name, '')::text AS event_name,
       coalesce(d.publication_consent, '')::text AS publication_consent,
       r.batch_id, coalesce(b.file_name, '')::text AS batch_file,
       (src.response_id IS NOT NULL)::boolean AS has_source,
       coalesce(src.sender_name, '')::text AS sender_name, coalesce(src.subject, '')::text AS subject,
       coalesce(src.full_text, '')::text AS full_text
FROM responses r
LEFT JOIN events e ON e.id = r.event_id
LEFT JOIN webform_drafts d ON r.channel = 'webform' AND d.consultation_id = r.consultation_id AND d.reference = r.source_ref
LEFT JOIN import_batches b ON b.id = r.batch_id
LEFT JOIN response_sources src ON src.response_id = r.id
WHERE r.id = @id AND r.consultation_id = @consultation_id;

-- name: ResponseAnswerList :many
SELECT question_id, option_id, text FROM answers WHERE response_id = @response_id;

-- name: ResponseSegmentList :many
SELECT id, position, start_offset, end_offset, question_id, theme_id, how
FROM segments WHERE response_id = @response_id
ORDER BY start_offset, position;

-- name: ResponseCodeList :many
-- A response's current codes, on its answers (question_id), on its
-- letter segments (segment_id) and on its added text (added_id, #15).
SELECT uc.question_id, uc.segment_id, uc.added_id, c.code, c.name, uc.position
FROM unit_codes uc JOIN codes c ON c.id = uc.code_id
WHERE uc.response_id = @response_id
ORDER BY c.position, c.id;

-- name: ResponseStateList :many
SELECT question_id, segment_id, added_id, quote_worthy, evidence_rich, no_code, note
FROM unit_states WHERE response_id = @response_id;

-- name: ResponseAddedText :one
-- A campaign member's added text, when an analyst has opened it for coding.
SELECT a.id, a.text, q.code AS question_code
FROM added_texts a JOIN questions q ON q.id = a.question_id
WHERE a.response_id = @response_id;

-- name: ThemeSegmentKeys :many
-- The letter segments attributed to a theme under the same filters as
-- FilteredAnswerKeys, as keys, ordered as the list is (letters are
-- thousands, not millions: no planning tricks needed beyond the custom
-- plan), up to @lim from @skip.
SELECT sg.id AS segment_id, sg.response_id
FROM segments sg
JOIN responses r ON r.id = sg.response_id
LEFT JOIN segment_search ss ON ss.segment_id = sg.id
LEFT JOIN answers b1 ON b1.response_id = sg.response_id AND b1.question_id = @answer1_question::integer
LEFT JOIN answers b2 ON b2.response_id = sg.response_id AND b2.question_id = @answer2_question::integer
LEFT JOIN answers b3 ON b3.response_id = sg.response_id AND b3.question_id = @answer3_question::integer
LEFT JOIN unit_states s ON s.segment_id = sg.id
WHERE sg.theme_id = @theme_id AND r.consultation_id = @consultation_id AND heard_counted(r)
  AND (NOT @filter_groups::boolean OR r.respondent_group_id = ANY(@group_ids::integer[])
       OR (r.respondent_group_id IS NULL AND @unknown_group::boolean))
  AND (cardinality(@channels::text[]) = 0 OR r.channel = ANY(CAST(@channels::text[] AS channel[])))
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
        WHERE b.response_id = sg.response_id AND b.question_id = ANY(@answer_question_ids::integer[])
          AND b.question_id::bigint * 4294967296 + b.option_id = ANY(@answer_pairs::bigint[])
       ) = cardinality(@answer_question_ids::integer[]))
  AND (@search::text = '' OR ss.search @@ heard_search_query(@search::text, @words::text[], @variants::text[]))
  AND (cardinality(@code_ids::integer[]) = 0 OR EXISTS (
        SELECT 1 FROM unit_codes uc WHERE uc.segment_id = sg.id AND uc.code_id = ANY(@code_ids::integer[])))
  AND (@coding::text <> 'uncoded' OR s.coded IS NOT TRUE)
  AND (@coding::text <> 'nocode' OR coalesce(s.code_count, 0) = 0)
  AND (NOT @quote::boolean OR s.quote_worthy)
ORDER BY CASE WHEN @sort::text = 'length' THEN sg.end_offset - sg.start_offset END DESC,
         r.received_at, sg.response_id, sg.position
LIMIT @lim OFFSET @skip;

-- name: SegmentsByID :many
-- Letter segments as a theme's list shows them, chosen and ordered by
-- the caller.
SELECT sg.id AS segment_id, sg.response_id,
       substring(src.full_text FROM sg.start_offset + 1 FOR sg.end_offset - sg.start_offset)::text AS text,
       r.channel, r.respondent_group_id, r.organisation, r.on_behalf_of_org, r.received_at,
       coalesce(s.quote_worthy, false)::boolean AS quote_worthy,
       CASE WHEN @search::text = '' THEN ''
            ELSE ts_headline('english'::regconfig, substring(src.full_text FROM sg.start_offset + 1 FOR sg.end_offset - sg.start_offset),
                             heard_search_query(@search::text, @words::text[], @variants::text[]),
                             'HighlightAll=true, StartSel=' || chr(1) || ', StopSel=' || chr(2))
       END::text AS headline
FROM segments sg
JOIN responses r ON r.id = sg.response_id
JOIN response_sources src ON src.response_id = sg.response_id
LEFT JOIN unit_states s ON s.segment_id = sg.id
WHERE sg.id = ANY(@segment_ids::bigint[]) AND r.consultation_id = @consultation_id;


-- name: LetterList :many
-- A consultation's imported emails and letters, oldest first.
SELECT r.id, r.channel, r.source_ref, r.received_at, r.organisation, r.on_behalf_of_org, r.respondent_group_id,
       r.suggested_group_id, src.sender_name, src.subject, r.batch_id, coalesce(b.file_name, '')::text AS batch_file,
       (SELECT count(*) FROM segments sg WHERE sg.response_id = r.id)::bigint AS segments
FROM responses r
JOIN response_sources src ON src.response_id = r.id
LEFT JOIN import_batches b ON b.id = r.batch_id
WHERE r.consultation_id = @consultation_id
ORDER BY r.received_at, r.id
LIMIT @page_size OFFSET @skip;

-- name: CountLetters :one
SELECT count(*)::bigint FROM response_sources WHERE consultation_id = @consultation_id;

-- name: LetterRespondent :one
SELECT r.respondent_group_id, r.on_behalf_of_org, r.organisation
FROM responses r JOIN response_sources src ON src.response_id = r.id
WHERE r.id = @id AND r.consultation_id = @consultation_id
FOR UPDATE OF r;

-- name: SetLetterRespondent :exec
-- An analyst's correction of who sent a letter. The triggers on
-- responses move its answers and codes, and so every count, with it; a
-- pending suggestion is settled by the analyst's choice.
UPDATE responses
SET respondent_group_id = @respondent_group_id, on_behalf_of_org = @on_behalf_of_org, organisation = @organisation,
    suggested_group_id = NULL, suggestion_reason = ''
WHERE id = @id AND consultation_id = @consultation_id;

-- name: AnswersByID :many
-- One page of answers to a question, chosen and ordered by the caller.
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
LEFT JOIN unit_states s ON s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL
LEFT JOIN webform_drafts d ON r.channel = 'webform' AND d.consultation_id = r.consultation_id AND d.reference = r.source_ref
WHERE a.question_id = @question_id AND a.response_id = ANY(@response_ids::bigint[]) AND r.consultation_id = @consultation_id;

-- name: WalkInOrder :exec
-- For the rest of the transaction, plan FilteredAnswerKeys in list
-- order to walk answers in that order: it runs so only when more than
-- CountCap answers match, where twenty come early in any order, and the
-- planner's guess at a search's share otherwise had it sort tens of
-- thousands of rows.
SELECT set_config('enable_sort', 'off', true);

-- name: UncodedFrom :one
-- Where a question's "not yet coded" (@kind 'uncoded') or "no code"
-- ('nocode') list starts (migration 000027): no listed answer received
-- before received_at, nor of a smaller response id than response_id, is
-- in the list; none_left when none is (received_at is then a finite
-- stand-in: Go has no infinity).
SELECT (received_at = 'infinity')::boolean AS none_left, response_id,
       greatest(least(received_at, '9999-12-31'::timestamptz), '0001-01-01'::timestamptz)::timestamptz AS received_at
FROM uncoded_from WHERE question_id = @question_id AND kind = @kind;

-- name: CodedResponses :many
-- The answers to a question with any of @code_ids (none: any quote-worthy
-- answer, when @quote), up to @lim: a code or quote filter's answers are
-- usually few, and then drive the list (FilteredAnswerKeys' only_ids)
-- instead of being looked up answer by answer.
SELECT DISTINCT response_id FROM (
    SELECT uc.response_id FROM unit_codes uc
    WHERE uc.code_id = ANY(@code_ids::integer[]) AND uc.question_id = @question_id::integer AND uc.segment_id IS NULL
    UNION ALL
    SELECT s.response_id FROM unit_states s
    WHERE cardinality(@code_ids::integer[]) = 0 AND @quote::boolean
      AND s.question_id = @question_id::integer AND s.segment_id IS NULL AND s.quote_worthy
) k
LIMIT @lim;

-- name: FactKeyResponses :many
-- The responses whose response_facts keys (migrations/000034) hold every
-- key of @all_keys and at least one key of each non-empty @anyN, up to
-- @lim: the response-level filters of an answer list (the question
-- answered, group, channel, organisation, event, closed and equality
-- answers, received days) as one intersection of GIN posting lists.
-- Empty @anyN fold away (custom plans, as for the lists).
SELECT f.response_id
FROM response_facts f
WHERE heard_fact_keys(f.respondent_group_id, f.channel, f.org, f.event_id, f.day, f.answers) @> @all_keys::bigint[]
  AND (cardinality(@any1::bigint[]) = 0 OR heard_fact_keys(f.respondent_group_id, f.channel, f.org, f.event_id, f.day, f.answers) && @any1::bigint[])
  AND (cardinality(@any2::bigint[]) = 0 OR heard_fact_keys(f.respondent_group_id, f.channel, f.org, f.event_id, f.day, f.answers) && @any2::bigint[])
  AND (cardinality(@any3::bigint[]) = 0 OR heard_fact_keys(f.respondent_group_id, f.channel, f.org, f.event_id, f.day, f.answers) && @any3::bigint[])
  AND (cardinality(@any4::bigint[]) = 0 OR heard_fact_keys(f.respondent_group_id, f.channel, f.org, f.event_id, f.day, f.answers) && @any4::bigint[])
  AND (cardinality(@any5::bigint[]) = 0 OR heard_fact_keys(f.respondent_group_id, f.channel, f.org, f.event_id, f.day, f.answers) && @any5::bigint[])
  AND (cardinality(@any6::bigint[]) = 0 OR heard_fact_keys(f.respondent_group_id, f.channel, f.org, f.event_id, f.day, f.answers) && @any6::bigint[])
LIMIT @lim;

-- name: FactDayRange :one
-- The first and last received day of a consultation's counted responses,
-- to turn an open-ended date filter into days.
SELECT coalesce(min(day), '2000-01-01')::date AS first_day, coalesce(max(day), '2000-01-01')::date AS last_day
FROM response_facts WHERE consultation_id = @consultation_id;

-- name: FactKeysBitmapOnly :exec
-- For FactKeyResponses: read response_facts through its keys' GIN index
-- only. A sequential or ordered scan under its LIMIT would compute every
-- row's keys (tens of thousands of rows when the filters are broad).
SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true);

-- name: FactKeysBitmapDone :exec
-- Back to the list's own settings after FactKeyResponses.
SELECT set_config('enable_seqscan', 'on', true), set_config('enable_indexscan', 'on', true);

-- name: KeyedDayCount :one
-- How many answers to open question @question_id the response-level
-- filters organisation or individual, received days, groups and channels
-- allow together, exactly, from answer_days (000028): with no closed
-- answer or event filter, a keyed list's total before its search and
-- coding filters, and always an upper bound of it.
SELECT coalesce(sum(n), 0)::bigint
FROM answer_days
WHERE consultation_id = @consultation_id AND question_id = @question_id AND option_id = 0
  AND day >= @from_day::date AND day <= @to_day::date
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
  AND (@respondent::text = '' OR org = (@respondent::text = 'organisation'));

-- name: KeyedPairCount :one
-- The same for one closed-answer filter (any of @by_option_ids to
-- @by_question_id) with organisation, groups and channels, exactly,
-- from answer_pairs (000019): "organisations that said Fully to Q1a"
-- is one sum, however broad each half is alone.
SELECT coalesce(sum(n), 0)::bigint
FROM answer_pairs
WHERE consultation_id = @consultation_id AND by_question_id = @by_question_id AND by_option_id = ANY(@by_option_ids::integer[])
  AND question_id = @question_id AND option_id = 0
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
  AND (@respondent::text = '' OR org = (@respondent::text = 'organisation'));

-- name: EventResponseCount :one
-- How many counted responses were taken at @event_ids: an upper bound
-- of a list filtered by those events.
SELECT count(*)::bigint FROM response_facts WHERE event_id = ANY(@event_ids::bigint[]);

-- The answer lists read from the copy of response_facts in memory
-- (results/memlists.go): what they read besides, in the same REPEATABLE
-- READ snapshot as the copy's blocks.

-- name: BlockReceived :many
-- When each response of the blocks (response_id >> 12) was received:
-- received order of the answer lists.
SELECT r.id, r.received_at
FROM unnest(@blocks::bigint[]) AS b(block)
JOIN responses r ON r.id >= b.block * 4096 AND r.id < (b.block + 1) * 4096
WHERE r.consultation_id = @consultation_id;

-- name: BlockLengths :many
-- The length of each counted answer to a question in the blocks:
-- longest first order of its answer list.
SELECT a.response_id, length(a.text)::integer AS length
FROM unnest(@blocks::bigint[]) AS b(block)
JOIN answers a ON a.question_id = @question_id AND a.response_id >= b.block * 4096 AND a.response_id < (b.block + 1) * 4096
WHERE a.text IS NOT NULL AND a.counted;

-- name: SearchAmong :many
-- Which of @response_ids' answers to a question match a search: one
-- probe by primary key each (SearchProbes turns the GIN index off: its
-- bitmap for a common word holds hundreds of thousands of answers).
SELECT a.response_id
FROM answers a
WHERE a.response_id = ANY(@response_ids::bigint[]) AND a.question_id = @question_id
  AND a.search @@ heard_search_query(@search::text, @words::text[], @variants::text[]);

-- name: SearchMatches :many
-- Every counted answer to a question that matches a search, through the
-- GIN index: cheap when the search is rare, which is when the lists ask.
SELECT a.response_id
FROM answers a
WHERE a.question_id = @question_id AND a.text IS NOT NULL AND a.counted
  AND a.search @@ heard_search_query(@search::text, @words::text[], @variants::text[]);

-- name: SearchProbes :exec
-- For SearchAmong: probe answers by primary key, never through a bitmap.
SELECT set_config('enable_bitmapscan', 'off', true);

-- name: SearchProbesDone :exec
SELECT set_config('enable_bitmapscan', 'on', true);

-- name: CodedAnswersIn :many
-- The answers to a question of response ids @lo to @hi that a "not yet
-- coded" list leaves out (coded: @kind 'uncoded') or a "no code" list
-- leaves out (with a code now: 'nocode'). The list starts at the first
-- uncoded answer (uncoded_from), so these are the codings past it.
SELECT s.response_id
FROM unit_states s
WHERE s.question_id = @question_id AND s.segment_id IS NULL
  AND s.response_id >= @lo::bigint AND s.response_id <= @hi::bigint
  AND CASE WHEN @kind::text = 'uncoded' THEN s.coded ELSE s.code_count > 0 END;

-- name: CodedAnswersAmong :many
-- The same for a few answers, by id.
SELECT s.response_id
FROM unit_states s
WHERE s.question_id = @question_id AND s.segment_id IS NULL AND s.response_id = ANY(@response_ids::bigint[])
  AND CASE WHEN @kind::text = 'uncoded' THEN s.coded ELSE s.code_count > 0 END;

-- name: ListTimeout :one
-- The statement timeout for the rest of a list's transaction.
SELECT set_config('statement_timeout', @timeout::text, true)::text;

-- name: CodeAnswers :one
-- The answers to a question with any of @code_ids, all of them (a
-- response twice when it has two of them): a list's code filter, from
-- unit_codes_answer_code_idx (000038) alone. One array, not a row per
-- answer: 60,000 rows took longer to receive than to read.
SELECT coalesce(array_agg(response_id), '{}')::bigint[]
FROM unit_codes
WHERE code_id = ANY(@code_ids::integer[]) AND question_id = @question_id::integer AND segment_id IS NULL;

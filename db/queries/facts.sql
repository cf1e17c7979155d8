-- Counting response by response from response_facts (migrations/000028):
-- the filters no summary keeps (events, two or more answers, an answer
-- with dates, campaigns). One narrow row per counted response, its
-- answers as question_id * 2^32 + option_id. results runs these with
-- plan_cache_mode = force_custom_plan, so the filters switched off fold
-- away and each combination is planned for what it is. The filter block
-- is the same in each query:
-- * @group_ids, @channels, @event_ids: empty means all; group 0 is "not known";
-- * @respondent: '', 'organisation' or 'individual';
-- * @from_day, @to_day: received days, inclusive;
-- * @answerN_pairs (N = 1, 2, 3; empty: none): the response gave one of
--   these answers (question_id * 2^32 + option_id, the options of one
--   question). Switched on, each is f.answers && '{…}', which the GIN
--   index response_facts_answers_idx (migrations/000031) answers by
--   intersecting the filters' posting lists ("everyone who said Not at
--   all to Q6a and Yes to disability") before any row is read.
--   Further answer filters are @answer_pairs (question_id * 2^32 +
--   option_id) and @answer_questions: the response gave one of the named
--   options to each of that many questions (one answer per question, so
--   as many of its answers match as questions are named);
-- * @campaigns: '' counts every response; 'exclude' leaves out members of
--   campaigns not dismissed; 'once' keeps one member (the first) of each;
-- * @dropped_only: only the responses @dropped_ids (the campaign members
--   a campaigns filter leaves out, CampaignDropped): results counts
--   "campaigns left out" as a summary's figures less these, read in one
--   snapshot, so it never reads every response to leave out a few.

-- name: CampaignDropped :many
-- The responses a campaigns filter ('exclude' or 'once') leaves out.
SELECT d.id::bigint AS id FROM heard_campaign_dropped(@consultation_id, @campaigns::text) AS d(id);

-- name: FactCounts :many
-- The same cells as AnswerCounts, and the responses as question 0: each
-- response's answers and one element 0 for itself, counted in one pass
-- (which a parallel plan can share out).
SELECT (x / 4294967296)::integer AS question_id, (x % 4294967296)::integer AS option_id, f.respondent_group_id, f.channel,
       count(*)::bigint AS n
FROM (
    SELECT f.respondent_group_id, f.channel, f.answers
    FROM response_facts f
    WHERE f.consultation_id = @consultation_id
      AND (cardinality(@group_ids::integer[]) = 0 OR f.respondent_group_id = ANY(@group_ids::integer[]))
      AND (cardinality(@channels::text[]) = 0 OR f.channel::text = ANY(@channels::text[]))
      AND (cardinality(@event_ids::bigint[]) = 0 OR f.event_id = ANY(@event_ids::bigint[]))
      AND (@respondent::text = '' OR f.org = (@respondent::text = 'organisation'))
      AND f.day >= @from_day::date AND f.day <= @to_day::date
      AND (cardinality(@answer1_pairs::bigint[]) = 0 OR f.answers && @answer1_pairs::bigint[])
      AND (cardinality(@answer2_pairs::bigint[]) = 0 OR f.answers && @answer2_pairs::bigint[])
      AND (cardinality(@answer3_pairs::bigint[]) = 0 OR f.answers && @answer3_pairs::bigint[])
      AND (@answer_questions::integer = 0
           OR (SELECT count(*) FROM unnest(f.answers) x WHERE x = ANY(@answer_pairs::bigint[])) = @answer_questions::integer)
      AND (@campaigns::text = '' OR f.response_id NOT IN (SELECT heard_campaign_dropped(@consultation_id, @campaigns::text)))
      AND (NOT @dropped_only::boolean OR f.response_id = ANY(@dropped_ids::bigint[]))
) f, unnest(f.answers || 0::bigint) x
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;

-- name: FactCross :many
-- @question_id's answers crossed with the answers to each of
-- @by_question_ids, as PairCross gives them (a question crossed with
-- itself gives its answers by organisation or individual); responses
-- that did not answer a "by" question are left out of its rows.
WITH r AS (
    SELECT f.org, f.answers,
           (SELECT (x % 4294967296)::integer FROM unnest(f.answers) x WHERE x / 4294967296 = @question_id::integer) AS option_id
    FROM response_facts f
    WHERE f.consultation_id = @consultation_id
      AND (cardinality(@group_ids::integer[]) = 0 OR f.respondent_group_id = ANY(@group_ids::integer[]))
      AND (cardinality(@channels::text[]) = 0 OR f.channel::text = ANY(@channels::text[]))
      AND (cardinality(@event_ids::bigint[]) = 0 OR f.event_id = ANY(@event_ids::bigint[]))
      AND (@respondent::text = '' OR f.org = (@respondent::text = 'organisation'))
      AND f.day >= @from_day::date AND f.day <= @to_day::date
      AND (cardinality(@answer1_pairs::bigint[]) = 0 OR f.answers && @answer1_pairs::bigint[])
      AND (cardinality(@answer2_pairs::bigint[]) = 0 OR f.answers && @answer2_pairs::bigint[])
      AND (cardinality(@answer3_pairs::bigint[]) = 0 OR f.answers && @answer3_pairs::bigint[])
      AND (@answer_questions::integer = 0
           OR (SELECT count(*) FROM unnest(f.answers) x WHERE x = ANY(@answer_pairs::bigint[])) = @answer_questions::integer)
      AND (@campaigns::text = '' OR f.response_id NOT IN (SELECT heard_campaign_dropped(@consultation_id, @campaigns::text)))
      AND (NOT @dropped_only::boolean OR f.response_id = ANY(@dropped_ids::bigint[]))
)
SELECT (x / 4294967296)::integer AS by_question_id, (x % 4294967296)::integer AS by_option_id, r.option_id::integer AS option_id,
       r.org, count(*)::bigint AS n
FROM r, unnest(r.answers) x
WHERE r.option_id IS NOT NULL AND (x / 4294967296)::integer = ANY(@by_question_ids::integer[])
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;

-- name: FactDays :many
-- Responses per day received and channel.
SELECT f.day, f.channel, count(*)::bigint AS n
FROM response_facts f
WHERE f.consultation_id = @consultation_id
  AND (cardinality(@group_ids::integer[]) = 0 OR f.respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR f.channel::text = ANY(@channels::text[]))
  AND (cardinality(@event_ids::bigint[]) = 0 OR f.event_id = ANY(@event_ids::bigint[]))
  AND (@respondent::text = '' OR f.org = (@respondent::text = 'organisation'))
  AND f.day >= @from_day::date AND f.day <= @to_day::date
  AND (cardinality(@answer1_pairs::bigint[]) = 0 OR f.answers && @answer1_pairs::bigint[])
  AND (cardinality(@answer2_pairs::bigint[]) = 0 OR f.answers && @answer2_pairs::bigint[])
  AND (cardinality(@answer3_pairs::bigint[]) = 0 OR f.answers && @answer3_pairs::bigint[])
  AND (@answer_questions::integer = 0
       OR (SELECT count(*) FROM unnest(f.answers) x WHERE x = ANY(@answer_pairs::bigint[])) = @answer_questions::integer)
  AND (@campaigns::text = '' OR f.response_id NOT IN (SELECT heard_campaign_dropped(@consultation_id, @campaigns::text)))
  AND (NOT @dropped_only::boolean OR f.response_id = ANY(@dropped_ids::bigint[]))
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: RecountResponseFacts :many
-- response_facts straight from responses and answers, for checking it.
SELECT r.id AS response_id, coalesce(r.respondent_group_id, 0)::integer AS respondent_group_id, r.channel, r.on_behalf_of_org AS org,
       r.event_id, (r.received_at AT TIME ZONE 'Europe/London')::date AS day,
       coalesce((SELECT array_agg(a.question_id::bigint * 4294967296 + coalesce(a.option_id, 0) ORDER BY a.question_id)
                 FROM answers a WHERE a.response_id = r.id AND a.counted), '{}')::bigint[] AS answers
FROM responses r
WHERE r.consultation_id = @consultation_id AND heard_counted(r)
ORDER BY r.id;

-- name: StoredResponseFacts :many
-- response_facts as stored, answers in order, for checking it.
SELECT f.response_id, f.respondent_group_id, f.channel, f.org, f.event_id, f.day,
       coalesce((SELECT array_agg(x ORDER BY x) FROM unnest(f.answers) x), '{}')::bigint[] AS answers
FROM response_facts f
WHERE f.consultation_id = @consultation_id
ORDER BY f.response_id;

-- name: FactVersions :many
-- Each block of 4,096 response ids (response_id >> 12) of the
-- consultation with its signature, every shard's stamp (fact_versions,
-- migrations/000035): results reads a block of response_facts again when
-- its signature differs from that of the copy it holds.
SELECT block::bigint AS block, string_agg(shard::text || ':' || version::text, ',' ORDER BY shard)::text AS sig
FROM fact_versions
WHERE consultation_id = @consultation_id
GROUP BY block
ORDER BY block;

-- name: FactBlocks :many
-- The response_facts rows of the consultation in @blocks (response_id >> 12),
-- each block's rows in response order (the answer lists rely on it).
-- Each block is one range of the primary key: the subquery is fenced
-- (OFFSET 0) so that the planner cannot flatten it into a join, which it
-- planned as a scan of every row of response_facts per block (a
-- consultation's whole copy took 26-47 s at a million responses; 3 s
-- this way), and the order is taken per block, not over the whole result
-- (which sorted 190 MB on disk).
SELECT f.response_id, f.respondent_group_id, f.channel, f.org, f.event_id, f.day, f.answers
FROM unnest(@blocks::bigint[]) AS b(block)
CROSS JOIN LATERAL (
    SELECT x.response_id, x.respondent_group_id, x.channel, x.org, x.event_id, x.day, x.answers
    FROM response_facts x
    WHERE x.response_id >= b.block * 4096 AND x.response_id < (b.block + 1) * 4096
      AND x.consultation_id = @consultation_id
    ORDER BY x.response_id
    OFFSET 0
) f;

-- name: ConsultationsExisting :many
-- Those of @ids that are still consultations (results frees the copies
-- of the others' facts it holds in memory).
SELECT id FROM consultations WHERE id = ANY(@ids::bigint[]);

-- name: FactConsultations :many
-- Consultations with blocks of response_facts, those with the newest
-- responses first: the copies `heard serve` reads into memory at start.
SELECT v.consultation_id
FROM fact_versions v
JOIN consultations c ON c.id = v.consultation_id
GROUP BY v.consultation_id
ORDER BY max(v.block) DESC
LIMIT @n;

-- name: PairAnswerCounts :many
-- The aggregation path for one answer filter (with groups, channels and
-- organisation or individual): the same cells as AnswerCounts, and the
-- responses as question 0, for the responses that gave one of
-- @by_option_ids to @by_question_id, read from the answer_pairs summary
-- (migrations/000019) instead of counted response by response.
SELECT question_id, option_id, respondent_group_id, channel, sum(n)::bigint AS n
FROM answer_pairs
WHERE consultation_id = @consultation_id
  AND by_question_id = @by_question_id AND by_option_id = ANY(@by_option_ids::integer[])
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
  AND (@respondent::text = '' OR org = (@respondent::text = 'organisation'))
GROUP BY question_id, option_id, respondent_group_id, channel
HAVING sum(n) <> 0
ORDER BY question_id, option_id, respondent_group_id, channel;

-- name: PairCross :many
-- @question_id's answers crossed with the answers to each of
-- @by_question_ids (the question itself gives its answers by
-- organisation or individual), within groups, channels and organisation
-- or individual, from the answer_pairs summary.
SELECT by_question_id, by_option_id, option_id, org, sum(n)::bigint AS n
FROM answer_pairs
WHERE consultation_id = @consultation_id
  AND question_id = @question_id AND by_question_id = ANY(@by_question_ids::integer[])
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
  AND (@respondent::text = '' OR org = (@respondent::text = 'organisation'))
GROUP BY by_question_id, by_option_id, option_id, org
HAVING sum(n) <> 0
ORDER BY by_question_id, by_option_id, option_id, org;

-- name: RecountAnswerPairs :many
-- answer_pairs straight from answers and responses, for checking the
-- summary: counted answers only (a merged repeat's are not).
SELECT x.question_id AS by_question_id, x.option_id::integer AS by_option_id, y.q::integer AS question_id, y.o::integer AS option_id,
       coalesce(x.respondent_group_id, 0)::integer AS respondent_group_id, x.channel, r.on_behalf_of_org AS org, count(*)::bigint AS n
FROM answers x
JOIN responses r ON r.id = x.response_id
JOIN (SELECT a.response_id, a.question_id AS q, coalesce(a.option_id, 0) AS o FROM answers a WHERE a.consultation_id = @consultation_id AND a.counted
      UNION ALL SELECT rr.id, 0, 0 FROM responses rr WHERE rr.consultation_id = @consultation_id) y ON y.response_id = x.response_id
WHERE x.consultation_id = @consultation_id AND x.option_id IS NOT NULL AND x.counted
GROUP BY 1, 2, 3, 4, 5, 6, 7
ORDER BY 1, 2, 3, 4, 5, 6, 7;

-- name: SummedAnswerPairs :many
-- answer_pairs with the shards summed, for checking against a recount.
SELECT by_question_id, by_option_id, question_id, option_id, respondent_group_id, channel, org, sum(n)::bigint AS n
FROM answer_pairs
WHERE consultation_id = @consultation_id
GROUP BY 1, 2, 3, 4, 5, 6, 7
HAVING sum(n) <> 0
ORDER BY 1, 2, 3, 4, 5, 6, 7;

-- name: PairDayAnswerCounts :many
-- PairAnswerCounts with received dates: the same cells for the responses
-- that gave one of @by_option_ids to @by_question_id and were received
-- from @from_day to @to_day (inclusive), summed from the answer_pair_days
-- summary (migrations/000031) over those days.
SELECT question_id, option_id, respondent_group_id, channel, sum(n)::bigint AS n
FROM answer_pair_days
WHERE consultation_id = @consultation_id
  AND by_question_id = @by_question_id AND by_option_id = ANY(@by_option_ids::integer[])
  AND day >= @from_day::date AND day <= @to_day::date
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
  AND (@respondent::text = '' OR org = (@respondent::text = 'organisation'))
GROUP BY question_id, option_id, respondent_group_id, channel
HAVING sum(n) <> 0
ORDER BY question_id, option_id, respondent_group_id, channel;

-- name: RecountAnswerPairDays :many
-- answer_pair_days straight from answers and responses, for checking the
-- summary: counted answers of responses neither merged nor withdrawn.
SELECT x.question_id AS by_question_id, x.option_id::integer AS by_option_id,
       (r.received_at AT TIME ZONE 'Europe/London')::date AS day, y.q::integer AS question_id, y.o::integer AS option_id,
       coalesce(r.respondent_group_id, 0)::integer AS respondent_group_id, r.channel, r.on_behalf_of_org AS org, count(*)::bigint AS n
FROM answers x
JOIN responses r ON r.id = x.response_id AND heard_counted(r)
JOIN (SELECT a.response_id, a.question_id AS q, coalesce(a.option_id, 0) AS o FROM answers a WHERE a.consultation_id = @consultation_id AND a.counted
      UNION ALL SELECT rr.id, 0, 0 FROM responses rr WHERE rr.consultation_id = @consultation_id) y ON y.response_id = x.response_id
WHERE x.consultation_id = @consultation_id AND x.option_id IS NOT NULL AND x.counted
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;

-- name: SummedAnswerPairDays :many
-- answer_pair_days with the shards summed, for checking against a recount.
SELECT by_question_id, by_option_id, day, question_id, option_id, respondent_group_id, channel, org, sum(n)::bigint AS n
FROM answer_pair_days
WHERE consultation_id = @consultation_id
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
HAVING sum(n) <> 0
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;

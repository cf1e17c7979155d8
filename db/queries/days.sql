-- name: DayAnswerCounts :many
-- The aggregation path for organisation or individual and received
-- dates (with groups and channels): the same cells as AnswerCounts, and
-- the responses as question 0, summed from the answer_days summary
-- (migrations/000028) over the days from @from_day to @to_day.
SELECT question_id, option_id, respondent_group_id, channel, sum(n)::bigint AS n
FROM answer_days
WHERE consultation_id = @consultation_id
  AND day >= @from_day::date AND day <= @to_day::date
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
  AND (@respondent::text = '' OR org = (@respondent::text = 'organisation'))
GROUP BY question_id, option_id, respondent_group_id, channel
HAVING sum(n) <> 0
ORDER BY question_id, option_id, respondent_group_id, channel;

-- name: DayTimeline :many
-- Responses per day and channel from the answer_days summary: every
-- response (@question_id 0, @option_ids {0}) or those who gave one of
-- @option_ids to @question_id (one answer per question, so answers
-- count responses), within groups, channels, organisation or individual
-- and the days from @from_day to @to_day.
SELECT day, channel, sum(n)::bigint AS n
FROM answer_days
WHERE consultation_id = @consultation_id
  AND question_id = @question_id AND option_id = ANY(@option_ids::integer[])
  AND day >= @from_day::date AND day <= @to_day::date
  AND (cardinality(@group_ids::integer[]) = 0 OR respondent_group_id = ANY(@group_ids::integer[]))
  AND (cardinality(@channels::text[]) = 0 OR channel::text = ANY(@channels::text[]))
  AND (@respondent::text = '' OR org = (@respondent::text = 'organisation'))
GROUP BY day, channel
HAVING sum(n) <> 0
ORDER BY day, channel;

-- name: RecountAnswerDays :many
-- answer_days straight from answers and responses, for checking the
-- summary: counted answers, and responses neither merged nor withdrawn.
SELECT k.day, k.question_id, k.option_id, k.org, k.respondent_group_id, k.channel, count(*)::bigint AS n
FROM (
    SELECT (r.received_at AT TIME ZONE 'Europe/London')::date AS day, a.question_id, coalesce(a.option_id, 0)::integer AS option_id,
           r.on_behalf_of_org AS org, coalesce(a.respondent_group_id, 0)::integer AS respondent_group_id, a.channel
    FROM answers a JOIN responses r ON r.id = a.response_id
    WHERE a.consultation_id = @consultation_id AND a.counted
    UNION ALL
    SELECT (received_at AT TIME ZONE 'Europe/London')::date, 0, 0, on_behalf_of_org, coalesce(respondent_group_id, 0)::integer, channel
    FROM responses
    WHERE consultation_id = @consultation_id AND heard_counted(responses)
) k
GROUP BY 1, 2, 3, 4, 5, 6
ORDER BY 1, 2, 3, 4, 5, 6;

-- name: SummedAnswerDays :many
-- answer_days with the shards summed, for checking against a recount.
SELECT day, question_id, option_id, org, respondent_group_id, channel, sum(n)::bigint AS n
FROM answer_days
WHERE consultation_id = @consultation_id
GROUP BY 1, 2, 3, 4, 5, 6
HAVING sum(n) <> 0
ORDER BY 1, 2, 3, 4, 5, 6;

-- name: ReserveResponseIDs :many
-- Ids are taken up front so responses and their answers can both be
-- written with COPY, which returns nothing.
SELECT nextval(pg_get_serial_sequence('responses', 'id'))::bigint AS id
FROM generate_series(1, @n::integer);

-- name: ExistingSourceRefs :many
-- Which of these (ref, channel) pairs the consultation has stored. Each
-- pair is one probe by (source_ref, channel), which only the unique
-- index (source_ref, channel, consultation_id) can answer; OFFSET 0 keeps
-- each probe a subquery of its own, so the consultation is checked on
-- the few rows found rather than used to pick another index. The plan
-- thus does not depend on statistics, which a crash loses and a table
-- that was small when last analysed misleads (migration 000008).
WITH probed AS (
    SELECT r.consultation_id, r.channel, r.source_ref
    FROM (SELECT unnest(@refs::text[]) AS source_ref, unnest(@channels::text[])::channel AS channel) AS k
    CROSS JOIN LATERAL (
        SELECT responses.consultation_id, responses.channel, responses.source_ref FROM responses
        WHERE responses.source_ref = k.source_ref AND responses.channel = k.channel
        OFFSET 0
    ) AS r
)
SELECT channel, source_ref FROM probed WHERE consultation_id = @consultation_id;

-- name: CopyResponses :copyfrom
INSERT INTO responses (consultation_id, id, channel, respondent_group_id, on_behalf_of_org, organisation, received_at, source_ref,
                       batch_id, suggested_group_id, suggestion_reason, event_id)
VALUES (@consultation_id, @id, @channel, @respondent_group_id, @on_behalf_of_org, @organisation, @received_at, @source_ref,
        @batch_id, @suggested_group_id, @suggestion_reason, @event_id);

-- name: CopyAnswers :copyfrom
INSERT INTO answers (consultation_id, response_id, question_id, option_id, text, channel, respondent_group_id)
VALUES (@consultation_id, @response_id, @question_id, @option_id, @text, @channel, @respondent_group_id);

-- name: InsertResponseWithAnswers :one
-- Small batches (the webform's one response, a typed-up event response)
-- take one statement per response instead of COPY's several round trips.
-- It stores what CopyResponses and CopyAnswers store (a test compares
-- them). A response whose source_ref is already stored inserts nothing
-- and returns no row. option_ids uses 0 and has_text false for "none".
WITH r AS (
    INSERT INTO responses (consultation_id, channel, respondent_group_id, on_behalf_of_org, organisation, received_at, source_ref,
                           batch_id, suggested_group_id, suggestion_reason, event_id)
    VALUES (@consultation_id, @channel, @respondent_group_id, @on_behalf_of_org, @organisation, @received_at, @source_ref,
            @batch_id, @suggested_group_id, @suggestion_reason, @event_id)
    ON CONFLICT (consultation_id, source_ref, channel) DO NOTHING
    RETURNING id, consultation_id, channel, respondent_group_id
), a AS (
    INSERT INTO answers (consultation_id, response_id, question_id, option_id, text, channel, respondent_group_id)
    SELECT r.consultation_id, r.id, u.question_id, nullif(u.option_id, 0), CASE WHEN u.has_text THEN u.text END,
           r.channel, r.respondent_group_id
    FROM r, (SELECT unnest(@question_ids::integer[]) AS question_id, unnest(@option_ids::integer[]) AS option_id,
                    unnest(@texts::text[]) AS text, unnest(@has_text::boolean[]) AS has_text) AS u
)
SELECT id FROM r;

-- name: ReserveResponseIDs :many
-- Ids are taken up front so responses and their answers can both be
-- written with COPY, which returns nothing.
SELECT nextval(pg_get_serial_sequence('responses', 'id'))::bigint AS id
FROM generate_series(1, @n::integer);

-- name: ExistingSourceRefs :many
SELECT channel, source_ref FROM responses
WHERE consultation_id = @consultation_id AND source_ref = ANY(@refs::text[]);

-- name: CopyResponses :copyfrom
INSERT INTO responses (consultation_id, id, channel, respondent_group_id, on_behalf_of_org, organisation, received_at, source_ref,
                       batch_id, suggested_group_id, suggestion_reason, event_id)
VALUES (@consultation_id, @id, @channel, @respondent_group_id, @on_behalf_of_org, @organisation, @received_at, @source_ref,
        @batch_id, @suggested_group_id, @suggestion_reason, @event_id);

-- name: CopyAnswers :copyfrom
INSERT INTO answers (consultation_id, response_id, question_id, option_id, text, channel, respondent_group_id)
VALUES (@consultation_id, @response_id, @question_id, @option_id, @text, @channel, @respondent_group_id);

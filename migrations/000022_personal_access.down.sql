DROP TRIGGER responses_uncount_withdrawn_delete ON responses;
DROP TRIGGER responses_uncount_withdrawn_update ON responses;
DROP FUNCTION heard_uncount_withdrawn();
-- Withdrawn responses count again once the mark is gone: recount the
-- received totals from the rows, as the foundation's triggers would.
DELETE FROM response_counts;
INSERT INTO response_counts (consultation_id, respondent_group_id, channel, shard, n)
SELECT consultation_id, coalesce(respondent_group_id, 0), channel, 0, count(*) FROM responses GROUP BY 1, 2, 3;
DELETE FROM response_days;
INSERT INTO response_days (consultation_id, day, respondent_group_id, channel, shard, n)
SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, coalesce(respondent_group_id, 0), channel, 0, count(*)
FROM responses GROUP BY 1, 2, 3, 4;
ALTER TABLE responses DROP COLUMN withdrawn;
DROP INDEX audit_log_record_id_idx;
DROP INDEX audit_log_actor_lower_idx;
DROP INDEX webform_drafts_reference_idx;
DROP INDEX response_sources_sender_name_trgm_idx;
DROP INDEX response_sources_sender_address_idx;
DROP INDEX responses_organisation_lower_idx;
DROP INDEX personal_spans_match_key_idx;
ALTER TABLE personal_spans DROP COLUMN match_key;

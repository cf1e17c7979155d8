-- Back to 000021/000025: added texts (and their codes, states and
-- events, by cascade; code_counts follow through the unit_codes trigger)
-- go, units are answers or letter segments again.
DROP TRIGGER unit_states_counted ON unit_states;
DROP FUNCTION heard_unit_states_counted();
DROP TRIGGER unit_codes_added_follow_insert ON unit_codes;
DROP TRIGGER unit_codes_added_follow_delete ON unit_codes;
DROP FUNCTION heard_added_codes_follow();

DELETE FROM added_texts;

CREATE OR REPLACE FUNCTION heard_unit_codes_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.counted := NOT EXISTS (SELECT 1 FROM responses r WHERE r.id = NEW.response_id AND r.merged_into IS NOT NULL);
    RETURN NEW;
END;
$$;
DROP FUNCTION heard_unit_code_counts(bigint, integer, bigint);

CREATE OR REPLACE FUNCTION heard_unit_codes_follow_response() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unit_codes u
    SET channel = n.channel, respondent_group_id = n.respondent_group_id, counted = n.merged_into IS NULL
    FROM new_rows n
    WHERE u.response_id = n.id
      AND (u.channel, u.respondent_group_id, u.counted) IS DISTINCT FROM (n.channel, n.respondent_group_id, n.merged_into IS NULL);
    RETURN NULL;
END;
$$;
-- Codes of withdrawn responses counted before 000026.
UPDATE unit_codes u SET counted = true
FROM responses r WHERE r.id = u.response_id AND r.withdrawn AND r.merged_into IS NULL AND NOT u.counted;

ALTER TABLE unit_states DROP COLUMN counted;

DROP INDEX coding_events_added_idx;
DROP INDEX unit_states_added_idx;
DROP INDEX unit_codes_added_idx;
ALTER TABLE coding_events DROP CONSTRAINT coding_events_one_unit;
ALTER TABLE unit_codes DROP CONSTRAINT unit_codes_one_unit;
ALTER TABLE unit_states DROP CONSTRAINT unit_states_one_unit;
ALTER TABLE coding_events DROP COLUMN added_id;
ALTER TABLE unit_codes DROP COLUMN added_id;
ALTER TABLE unit_states DROP COLUMN added_id;
ALTER TABLE coding_events ADD CHECK (num_nonnulls(question_id, segment_id) = 1);
ALTER TABLE unit_codes ADD CHECK (num_nonnulls(question_id, segment_id) = 1);
ALTER TABLE unit_states ADD CHECK (num_nonnulls(question_id, segment_id) = 1);

DROP TABLE added_texts;
ALTER TABLE campaigns DROP COLUMN added_question_id;

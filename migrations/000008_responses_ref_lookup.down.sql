ALTER TABLE responses DROP CONSTRAINT responses_source_ref_channel_consultation_id_key;
ALTER TABLE responses ADD CONSTRAINT responses_consultation_id_source_ref_channel_key
    UNIQUE (consultation_id, source_ref, channel);

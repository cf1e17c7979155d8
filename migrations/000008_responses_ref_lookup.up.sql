-- Every import batch asks which of its (source_ref, channel) pairs are
-- already stored. With consultation_id leading the unique index, a query
-- planner misled by lost or stale statistics (after a crash, say) could
-- answer that through responses_consultation_idx instead and read every
-- response of the consultation once per batch, or once per reference.
-- With source_ref leading, the lookup probes by (source_ref, channel)
-- and checks the consultation afterwards: this index is the only one
-- that can answer it, whatever the statistics say. The constraint's
-- meaning is unchanged (ON CONFLICT names its columns, not their order).
ALTER TABLE responses DROP CONSTRAINT responses_consultation_id_source_ref_channel_key;
ALTER TABLE responses ADD CONSTRAINT responses_source_ref_channel_consultation_id_key
    UNIQUE (source_ref, channel, consultation_id);

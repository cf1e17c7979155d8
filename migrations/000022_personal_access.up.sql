-- Personal data, part two: subject access that stays fast at a million
-- responses, and erasure under consent that counts nowhere.
--
-- Subject access (issue #16): every search path probes an index.
--   * reference            responses UNIQUE (source_ref, channel, ...) (000008)
--   * organisation         lower(organisation), exact, below
--   * sender's address     lower(sender_address), exact, below
--   * sender's name        trigram GIN, "contains", below (emails and
--                          letters only: a small table)
--   * names, emails, phone and other numbers written in the texts:
--                          personal_spans.match_key, exact, below (what
--                          the detector or an analyst marked)
--   * anything else in free text: the search vectors the reading lists
--                          already keep (answers.search, segment_search;
--                          000013), as a phrase.
-- Trade-off: no trigram index on the answers' text. One would make any
-- substring findable, but it is the largest index Heard could have and
-- would slow every bulk load of a million answers; free text is searched
-- as words (a phrase, with the English stemmer) instead, so "Smith"
-- finds "Smith" and "Smith's", not "Smithson".
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The span's text, lower-cased with everything but letters and digits
-- removed (phone numbers: the digits of the +44 form), written by the
-- Go side (personal.MatchKey). It is personal data like the text it
-- points into, and goes with the span (erasure, retention).
ALTER TABLE personal_spans ADD COLUMN match_key text NOT NULL DEFAULT '';
UPDATE personal_spans s
SET match_key = regexp_replace(lower(convert_from(substring(convert_to(t.text, 'UTF8') FROM s.start_offset + 1 FOR s.end_offset - s.start_offset), 'UTF8')), '[^[:alnum:]]', '', 'g')
FROM (SELECT response_id, question_id, text::text AS text FROM answers WHERE text IS NOT NULL
      UNION ALL
      SELECT response_id, 0, full_text FROM response_sources) t
WHERE t.response_id = s.response_id AND t.question_id = s.question_id
  AND s.end_offset <= octet_length(t.text);
CREATE INDEX personal_spans_match_key_idx ON personal_spans (match_key) WHERE match_key <> '';

CREATE INDEX responses_organisation_lower_idx ON responses (lower(organisation)) WHERE organisation <> '';
CREATE INDEX response_sources_sender_address_idx ON response_sources (lower(sender_address)) WHERE sender_address <> '';
CREATE INDEX response_sources_sender_name_trgm_idx ON response_sources USING gin (sender_name gin_trgm_ops) WHERE sender_name <> '';
CREATE INDEX webform_drafts_reference_idx ON webform_drafts (reference);
CREATE INDEX audit_log_actor_lower_idx ON audit_log (lower(actor));
CREATE INDEX audit_log_record_id_idx ON audit_log (record_id) WHERE record_id <> '';

-- Erasure under consent: withdrawing consent takes the response out of
-- every count, received totals included. The response row stays (as a
-- tombstone, so re-importing the same file never brings it back), marked
-- withdrawn; its answers are deleted, so answer_counts follow through
-- their own triggers. The received totals (response_counts,
-- response_days) are kept by the foundation's triggers, which count every
-- row; the trigger below corrects them for withdrawn rows, so those
-- functions stay as they are and the load path (INSERT) pays nothing.
ALTER TABLE responses ADD COLUMN withdrawn boolean NOT NULL DEFAULT false;

-- The foundation's triggers did "-old +new" for every updated row and
-- "-old" for every deleted one; a withdrawn row must count as nothing,
-- so add back what they took from a row that was withdrawn before, and
-- take away what they gave to a row that is withdrawn after.
CREATE FUNCTION heard_uncount_withdrawn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO response_counts AS c
        SELECT consultation_id, coalesce(respondent_group_id, 0), channel, pg_backend_pid() % 8, count(*)
        FROM old_rows WHERE withdrawn
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, respondent_group_id, channel, shard) DO UPDATE SET n = c.n + excluded.n;
        INSERT INTO response_days AS c
        SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date, coalesce(respondent_group_id, 0),
               channel, pg_backend_pid() % 8, count(*)
        FROM old_rows WHERE withdrawn
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (consultation_id, day, respondent_group_id, channel, shard) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO response_counts AS c
        SELECT k.consultation_id, k.g, k.channel, pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT consultation_id, coalesce(respondent_group_id, 0) AS g, channel, -1 AS d FROM new_rows WHERE withdrawn
            UNION ALL
            SELECT consultation_id, coalesce(respondent_group_id, 0), channel, 1 FROM old_rows WHERE withdrawn
        ) k
        GROUP BY 1, 2, 3 HAVING sum(k.d) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (consultation_id, respondent_group_id, channel, shard) DO UPDATE SET n = c.n + excluded.n;
        INSERT INTO response_days AS c
        SELECT k.consultation_id, k.day, k.g, k.channel, pg_backend_pid() % 8, sum(k.d)
        FROM (
            SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date AS day,
                   coalesce(respondent_group_id, 0) AS g, channel, -1 AS d
            FROM new_rows WHERE withdrawn
            UNION ALL
            SELECT consultation_id, (received_at AT TIME ZONE 'Europe/London')::date,
                   coalesce(respondent_group_id, 0), channel, 1
            FROM old_rows WHERE withdrawn
        ) k
        GROUP BY 1, 2, 3, 4 HAVING sum(k.d) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (consultation_id, day, respondent_group_id, channel, shard) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER responses_uncount_withdrawn_update AFTER UPDATE ON responses
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_uncount_withdrawn();
CREATE TRIGGER responses_uncount_withdrawn_delete AFTER DELETE ON responses
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_uncount_withdrawn();
-- No INSERT trigger: a response is never stored already withdrawn
-- (only personal.Erase sets the mark), so loads pay nothing for this.

-- Reading open text: full-text search over open answers and letter
-- segments, and the indexes the filtered answer lists need.
--
-- Search: answers.search is to_tsvector('english', text), stored and
-- indexed with GIN together with question_id (btree_gin), so "answers to
-- Q1b mentioning inspection" intersects two posting lists instead of
-- rechecking every answer that mentions inspection anywhere. British and
-- American spellings (organisation/organization) are matched at query
-- time: heard_search_query rewrites each word of the query into "either
-- spelling" (the Go side names the variants), so the stored vectors stay
-- plain 'english' and ts_headline marks both spellings in the original
-- text. Normalising the text itself before indexing would cost ~70 µs of
-- regular expressions per answer at load time, three times to_tsvector.
CREATE EXTENSION IF NOT EXISTS btree_gin;

ALTER TABLE answers ADD COLUMN search tsvector
    GENERATED ALWAYS AS (CASE WHEN text IS NOT NULL THEN to_tsvector('english'::regconfig, text) END) STORED;
CREATE INDEX answers_search_idx ON answers USING gin (question_id, search) WHERE text IS NOT NULL;

-- A small group × channel: walk just its answers, in response order,
-- instead of every answer to the question (issue #10: 6.3 s at 1M).
CREATE INDEX answers_text_group_idx ON answers (question_id, channel, respondent_group_id, response_id) WHERE text IS NOT NULL;
-- "Longest first" without sorting every answer to the question.
CREATE INDEX answers_text_length_idx ON answers (question_id, length(text) DESC, response_id) WHERE text IS NOT NULL;
-- "Received" order and received-date ranges.
CREATE INDEX responses_received_idx ON responses (consultation_id, received_at, id);
-- Organisations are usually few: find them without reading everyone.
CREATE INDEX responses_org_idx ON responses (consultation_id, id) WHERE on_behalf_of_org;

-- Letter segments are searched on the theme lists. Their text lives in
-- response_sources.full_text, so their vectors are kept by a trigger,
-- in a table of their own (segments' own columns stay as they were).
CREATE TABLE segment_search (
    segment_id bigint PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
    search     tsvector NOT NULL
);
CREATE INDEX segment_search_idx ON segment_search USING gin (search);
CREATE FUNCTION heard_segment_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO segment_search (segment_id, search)
    SELECT n.id, to_tsvector('english'::regconfig, substring(src.full_text FROM n.start_offset + 1 FOR n.end_offset - n.start_offset))
    FROM new_rows n JOIN response_sources src ON src.response_id = n.response_id
    ON CONFLICT (segment_id) DO UPDATE SET search = excluded.search;
    RETURN NULL;
END;
$$;
CREATE TRIGGER segments_search_insert AFTER INSERT ON segments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_segment_search();
CREATE TRIGGER segments_search_update AFTER UPDATE ON segments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_segment_search();
INSERT INTO segment_search (segment_id, search)
SELECT sg.id, to_tsvector('english'::regconfig, substring(src.full_text FROM sg.start_offset + 1 FOR sg.end_offset - sg.start_offset))
FROM segments sg JOIN response_sources src ON src.response_id = sg.response_id;
-- A theme's segments in response order.
CREATE INDEX segments_theme_response_idx ON segments (theme_id, response_id) WHERE theme_id IS NOT NULL;

-- heard_search_query is websearch_to_tsquery (phrases, OR, -word) with
-- each words[i] widened to "words[i] or variants[i]" wherever it occurs,
-- inside phrases and negations too. Immutable, so with constant
-- arguments the planner sees the finished tsquery.
CREATE FUNCTION heard_search_query(q text, words text[], variants text[]) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    result tsquery := websearch_to_tsquery('english'::regconfig, q);
    w tsquery;
    v tsquery;
BEGIN
    FOR i IN 1 .. coalesce(array_length(words, 1), 0) LOOP
        w := plainto_tsquery('english'::regconfig, words[i]);
        v := plainto_tsquery('english'::regconfig, variants[i]);
        IF numnode(w) = 1 AND numnode(v) = 1 AND w <> v THEN
            result := ts_rewrite(result, w, w || v);
        END IF;
    END LOOP;
    RETURN result;
END;
$$;

-- "Those who answered Not at all to Q1a": the first closed-answer filter
-- of a list is a semi-join driven from here (and a dashboard's cross
-- tabulation of two closed questions can use it too).
CREATE INDEX answers_option_idx ON answers (question_id, option_id, response_id) WHERE option_id IS NOT NULL;

-- The answers with a code, read whole by the answer lists (issue #10,
-- #11 item 11: results/memlists.go intersects them with the list's other
-- filters in memory). unit_codes_code_idx (code_id, response_id) finds
-- them but must visit the heap for question_id and segment_id: 60,000
-- heap rows for a common code at a million responses. This one answers
-- from the index alone (where the visibility map allows).
CREATE INDEX unit_codes_answer_code_idx ON unit_codes (code_id, response_id) INCLUDE (question_id) WHERE segment_id IS NULL;

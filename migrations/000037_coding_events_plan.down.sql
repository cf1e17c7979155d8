CREATE INDEX IF NOT EXISTS coding_events_question_user_idx ON coding_events (question_id, user_id) WHERE question_id IS NOT NULL;

DROP TABLE IF EXISTS response_counts, answer_counts, answers, responses, questions,
    respondent_groups, scale_combinations, scale_options, scales, themes, consultations;
DROP FUNCTION IF EXISTS heard_count_answers(), heard_count_responses();
DROP TYPE IF EXISTS consultation_status, question_kind, channel;

DROP INDEX IF EXISTS unit_codes_answer_code_idx;

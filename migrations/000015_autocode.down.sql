DROP TABLE autocode_suggestions;
DROP TABLE autocode_models;
DROP TABLE code_rules;

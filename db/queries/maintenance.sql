-- name: AnalyzeImportTables :exec
-- Rebuilds the planner's statistics for the tables an import fills. Run
-- inside the import's transaction, ANALYZE counts the rows it inserted.
ANALYZE responses, answers, response_sources, segments;

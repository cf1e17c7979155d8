-- 1. One rule for "this response counts". A response counts unless it
--    is a merged repeat (merged_into, 000021) or its sender withdrew
--    consent (withdrawn, 000022). The rule was written out in thirteen
--    queries, and one of them had drifted: the theme page's count of
--    emails and letters on the theme (ThemeLetters) still counted a
--    withdrawn response. Queries now call heard_counted(r). A SQL
--    function of one expression is inlined by the planner: it plans
--    r.merged_into IS NULL AND NOT r.withdrawn exactly as before (same
--    estimates, same plans), so nothing reads more. (A stored generated
--    column would have rewritten the responses table and its indexes
--    and needed fresh statistics of its own.) The summaries' triggers
--    keep their own copies of the rule on their transition tables.
CREATE FUNCTION heard_counted(r responses) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN r.merged_into IS NULL AND NOT r.withdrawn;

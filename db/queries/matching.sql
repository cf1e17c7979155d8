-- name: SetThemeTerms :exec
-- What a theme is known by, for matching letters' headings.
UPDATE themes SET summary = @summary, keywords = @keywords WHERE id = @id;

-- name: SetQuestionKeywords :exec
UPDATE questions SET keywords = @keywords WHERE id = @id;

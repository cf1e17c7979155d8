-- name: UpgradeDemoWebformRefs :exec
-- Demo webform responses were once stored as demo-NNNN; they are now
-- DEMO-NNNN, the form's reference format. Renaming keeps a reload of
-- an older demo database from storing them twice.
UPDATE responses SET source_ref = upper(source_ref)
WHERE consultation_id = @consultation_id AND channel = 'webform' AND source_ref ~ '^demo-[0-9]{4}$';

-- name: InsertDemoConsents :exec
-- The record a submitted webform keeps of each demo respondent's answer
-- to the publication question: yes for two in five, no for one in five,
-- not answered for the rest (by reference number, so the same every run).
INSERT INTO webform_drafts (consultation_id, token_hash, reference, answers, expires_at, submitted_at, publication_consent, purged)
SELECT r.consultation_id, decode(md5(r.source_ref) || md5('token:' || r.source_ref), 'hex'), r.source_ref, '{}',
       r.received_at + interval '30 days', r.received_at,
       CASE substr(r.source_ref, 6)::integer % 5 WHEN 0 THEN 'yes' WHEN 1 THEN 'yes' WHEN 2 THEN 'no' ELSE '' END,
       true
FROM responses r
WHERE r.consultation_id = @consultation_id AND r.channel = 'webform' AND r.source_ref ~ '^DEMO-[0-9]{4}$'
ON CONFLICT (consultation_id, reference) DO NOTHING;

-- name: DemoOpenAnswerIDs :many
SELECT response_id FROM answers WHERE question_id = @question_id AND text IS NOT NULL ORDER BY response_id;

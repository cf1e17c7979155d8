DROP TABLE password_links;
ALTER TABLE themes DROP COLUMN IF EXISTS proposal_url;

-- Consultations run from the browser: what respondents are asked about,
-- and one-time links that let a new or locked-out user set a password.

-- A theme's short summary and the address of the proposal it is about,
-- shown on the form above the theme's questions. IF NOT EXISTS because
-- the importers add the same summary column for their own reasons.
ALTER TABLE themes ADD COLUMN IF NOT EXISTS summary text NOT NULL DEFAULT '';
ALTER TABLE themes ADD COLUMN IF NOT EXISTS proposal_url text NOT NULL DEFAULT '';

-- A set-password link: an invitation for a new user or a reset for an
-- existing one. Only the token's SHA-256 is kept; a link works once,
-- until expires_at.
CREATE TABLE password_links (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    purpose    text NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_links_user_idx ON password_links (user_id);

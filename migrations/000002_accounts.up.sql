-- Back-office accounts, their sessions, and the append-only audit log.

CREATE TYPE user_role AS ENUM ('viewer', 'analyst', 'admin');

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    password_hash text NOT NULL,
    role          user_role NOT NULL,
    -- Bumped when a user is disabled or their password changes: every
    -- session remembers the epoch it began in and dies when it moves on.
    session_epoch integer NOT NULL DEFAULT 1,
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

-- The schema scs/pgxstore expects.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Published results are open to anyone; the rest needs a signed-in user.
ALTER TABLE consultations ADD COLUMN results_published boolean NOT NULL DEFAULT false;

CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    user_id         bigint REFERENCES users (id),
    -- The email as it was at the time (or what was typed, for a failed
    -- sign-in), so the entry stays readable whatever happens to the user.
    actor           text NOT NULL DEFAULT '',
    action          text NOT NULL,
    consultation_id bigint REFERENCES consultations (id),
    record_type     text NOT NULL DEFAULT '',
    record_id       text NOT NULL DEFAULT '',
    detail          jsonb NOT NULL DEFAULT '{}',
    client_ip       text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_failed_sign_in_idx ON audit_log (lower(actor), at) WHERE action = 'sign_in_failed';

CREATE FUNCTION heard_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION heard_audit_append_only();

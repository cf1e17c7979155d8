-- Sign-in throttling replaces the lockout (see README, "Under load and
-- under attack"). One row per email as typed (lower-cased, whether or not
-- an account has it) and client address; client '' is the row for the
-- email from all clients together. An attempt is counted here before its
-- password is checked, so attempts at once cannot all slip past the limit.
CREATE TABLE sign_in_throttles (
    email           text NOT NULL,
    client          text NOT NULL,
    failures        integer NOT NULL CHECK (failures >= 0),
    last_failure_at timestamptz NOT NULL,
    blocked_until   timestamptz NOT NULL,
    PRIMARY KEY (email, client)
);

-- "Has this account signed in from this address lately?": such a client
-- is exempt from the account-wide limit, so a stranger guessing from
-- elsewhere cannot keep the account's owner out.
CREATE INDEX audit_log_sign_in_client_idx ON audit_log (user_id, client_ip, at) WHERE action = 'sign_in';

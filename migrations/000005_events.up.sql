-- Engagement events (focus groups, webinars, interviews, drop-ins): the
-- events themselves, the responses typed up from them, and facilitators'
-- notes of what a group said. Notes are never responses: they live in
-- their own table and no count of responses or answers ever reads it.

CREATE TABLE events (
    consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL CHECK (name <> ''),
    held_on         date NOT NULL,
    format          text NOT NULL CHECK (format IN ('focus-group', 'webinar', 'interview', 'drop-in', 'other')),
    online          boolean NOT NULL,
    place           text NOT NULL DEFAULT '',
    -- How many people came: reported beside the responses, never added to them.
    attendees       integer NOT NULL CHECK (attendees >= 0),
    facilitator     text NOT NULL DEFAULT '',
    -- Free tags for whom the event reached beyond the consultation's own
    -- respondent groups, e.g. "unpaid carers".
    reached         text[] NOT NULL DEFAULT '{}',
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- The target of the composite foreign keys below, which keep a
    -- response or note on an event of its own consultation.
    UNIQUE (consultation_id, id),
    CHECK (online OR place <> '')
);
CREATE INDEX events_consultation_idx ON events (consultation_id, held_on DESC, id DESC);

-- The consultation's respondent groups an event reached.
CREATE TABLE event_groups (
    event_id            bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    respondent_group_id integer NOT NULL REFERENCES respondent_groups (id) ON DELETE RESTRICT,
    PRIMARY KEY (event_id, respondent_group_id)
);

-- A response taken at an event points at it. A nullable column with no
-- default is added without rewriting the table, and the partial index
-- holds only event responses, so a million other responses cost nothing.
ALTER TABLE responses
    ADD COLUMN event_id bigint,
    ADD CONSTRAINT responses_event_fk FOREIGN KEY (consultation_id, event_id) REFERENCES events (consultation_id, id),
    ADD CONSTRAINT responses_event_channel CHECK (event_id IS NULL OR channel = 'event');
CREATE INDEX responses_event_idx ON responses (event_id, id) WHERE event_id IS NOT NULL;

-- What a group said, attributed to one theme or one question, with how
-- many people took part in that discussion.
CREATE TABLE event_notes (
    consultation_id bigint NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        bigint NOT NULL,
    theme_id        integer REFERENCES themes (id) ON DELETE RESTRICT,
    question_id     integer REFERENCES questions (id) ON DELETE RESTRICT,
    attendees       integer NOT NULL CHECK (attendees >= 0),
    text            text NOT NULL CHECK (text <> ''),
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (consultation_id, event_id) REFERENCES events (consultation_id, id) ON DELETE CASCADE,
    CHECK (num_nonnulls(theme_id, question_id) = 1)
);
CREATE INDEX event_notes_event_idx ON event_notes (event_id, id);
CREATE INDEX event_notes_theme_idx ON event_notes (theme_id) WHERE theme_id IS NOT NULL;
CREATE INDEX event_notes_question_idx ON event_notes (question_id) WHERE question_id IS NOT NULL;

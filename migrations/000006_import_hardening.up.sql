-- Imports that lose nothing and say why: letters without readable text
-- listed for typing up.

-- An email or letter from which no text could be read (a scan, an
-- attachment Heard cannot read): stored, never a duplicate, listed for
-- an analyst to type up.
ALTER TABLE response_sources ADD COLUMN needs_typing boolean NOT NULL DEFAULT false;
CREATE INDEX response_sources_needs_typing_idx ON response_sources (consultation_id) WHERE needs_typing;

-- What a theme or question is known by, so that an organisation's own
-- headings ("Safety", "Reducing inequalities") find it. A theme's summary
-- may also be added by the public form's work: hence IF NOT EXISTS.
ALTER TABLE themes ADD COLUMN IF NOT EXISTS summary text NOT NULL DEFAULT '';
ALTER TABLE themes ADD COLUMN keywords text[] NOT NULL DEFAULT '{}';
ALTER TABLE questions ADD COLUMN keywords text[] NOT NULL DEFAULT '{}';

-- Why each segment was attributed where it was, shown on the letter page.
ALTER TABLE segments ADD COLUMN why text NOT NULL DEFAULT '';

-- The organisation an email was sent on behalf of, as Heard found it
-- (display name, signature block, letterhead): stored on the response,
-- shown for an analyst to confirm.
ALTER TABLE response_sources
    ADD COLUMN organisation_source text NOT NULL DEFAULT '',
    ADD COLUMN organisation_confirmed boolean NOT NULL DEFAULT false;

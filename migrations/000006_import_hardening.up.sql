-- Imports that lose nothing and say why: letters without readable text
-- listed for typing up.

-- An email or letter from which no text could be read (a scan, an
-- attachment Heard cannot read): stored, never a duplicate, listed for
-- an analyst to type up.
ALTER TABLE response_sources ADD COLUMN needs_typing boolean NOT NULL DEFAULT false;
CREATE INDEX response_sources_needs_typing_idx ON response_sources (consultation_id) WHERE needs_typing;

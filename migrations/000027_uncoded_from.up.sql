-- Where "not yet coded" starts (issues #10 and #11). Analysts code a
-- question's answers roughly in the order they arrived, so at a million
-- responses the coded ones are a long stretch at the start of the list:
-- a "not yet coded" list in received order walked that whole stretch
-- (300,000 answers, 3 s) before finding its first answer.
--
-- uncoded_from holds, per open question, the earliest received_at of an
-- answer that the list shows (text, counted) and nobody has coded in the
-- main coding (unit_states.coded); 'infinity' when every such answer is
-- coded; and the same in response order (response_id). A "not yet coded"
-- list reads only answers from there on, bounding both tables' keysets:
-- responses by received_at and answers by response_id. The same is kept
-- for "no code" (kind 'nocode': answers without a code, code_count = 0),
-- whose lists walked the same stretch. No row means "not known": the list
-- is then not bounded.
--
-- The value is exact after every statement, kept by statement-level
-- triggers in the same transaction:
-- * an answer becoming listable and uncoded can only lower it: to its
--   received_at when a coding was removed; when it was inserted or
--   unmerged (coded or not), to the first uncoded answer from there;
-- * an answer leaving (coded, merged, deleted) can only raise it,
--   and only when it was the earliest: the value is then recomputed by
--   walking from the old value to the first uncoded answer, a short walk
--   because everything before the old value was coded already.
-- Recomputing locks the question's row first, then reads with a fresh
-- snapshot (a trigger function's statements each take one in READ
-- COMMITTED), so two analysts' concurrent codings cannot leave it past an
-- answer the other just uncoded.
CREATE TABLE uncoded_from (
    question_id integer NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    -- 'uncoded': not unit_states.coded; 'nocode': not code_count > 0.
    kind        text NOT NULL CHECK (kind IN ('uncoded', 'nocode')),
    received_at timestamptz NOT NULL,
    -- The same in response order (the smallest response id), for the
    -- lists that read answers in that order: so both tables' keysets are
    -- bounded. The largest bigint when there is none.
    response_id bigint NOT NULL,
    PRIMARY KEY (question_id, kind)
);

-- Whether a unit's state takes its answer out of a kind's list.
CREATE FUNCTION heard_uncoded_done(list_kind text, coded boolean, code_count integer) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE list_kind WHEN 'nocode' THEN coalesce(code_count, 0) > 0 ELSE coalesce(coded, false) END
$$;

-- The first listable answer to question q still in kind's list, received
-- at or after from_at, or 'infinity'. Planned as the walk it is, for the
-- values at hand (EXECUTE: a generic plan, not knowing the consultation,
-- read every answer to the question): responses in received order from
-- from_at, probing the answer and its coding state.
CREATE FUNCTION heard_first_uncoded(list_kind text, q integer, from_at timestamptz) RETURNS timestamptz
LANGUAGE plpgsql STABLE
SET enable_sort = off SET enable_hashjoin = off SET enable_mergejoin = off SET enable_material = off
AS $$
DECLARE
    c bigint := (SELECT consultation_id FROM questions WHERE id = q);
    at_ timestamptz;
BEGIN
    EXECUTE format($q$
        SELECT r.received_at
        FROM responses r
        JOIN answers a ON a.response_id = r.id AND a.question_id = %s
        WHERE r.consultation_id = %s AND r.received_at >= %L AND a.text IS NOT NULL AND a.counted
          AND NOT EXISTS (SELECT 1 FROM unit_states s
                          WHERE s.question_id = %s AND s.response_id = r.id AND s.segment_id IS NULL AND %s)
        ORDER BY r.received_at
        LIMIT 1$q$, q, c, from_at, q, CASE list_kind WHEN 'nocode' THEN 's.code_count > 0' ELSE 's.coded' END)
    INTO at_;
    RETURN coalesce(at_, 'infinity');
END;
$$;

-- The same in response order from response from_id, or the largest bigint.
CREATE FUNCTION heard_first_uncoded_id(list_kind text, q integer, from_id bigint) RETURNS bigint
LANGUAGE plpgsql STABLE
SET enable_sort = off SET enable_hashjoin = off SET enable_mergejoin = off SET enable_material = off
AS $$
DECLARE
    id_ bigint;
BEGIN
    EXECUTE format($q$
        SELECT a.response_id
        FROM answers a
        WHERE a.question_id = %s AND a.text IS NOT NULL AND a.counted AND a.response_id >= %s
          AND NOT EXISTS (SELECT 1 FROM unit_states s
                          WHERE s.question_id = %s AND s.response_id = a.response_id AND s.segment_id IS NULL
                            AND s.response_id >= %s AND %s)
        ORDER BY a.response_id
        LIMIT 1$q$, q, from_id, q, from_id, CASE list_kind WHEN 'nocode' THEN 's.code_count > 0' ELSE 's.coded' END)
    INTO id_;
    RETURN coalesce(id_, 9223372036854775807);
END;
$$;

-- Lower questions' values to the given answers: answers known to be
-- listable and in kind's list now (a coding removed).
CREATE FUNCTION heard_uncoded_lower(list_kind text, qs integer[], ats timestamptz[], ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO uncoded_from AS u (question_id, kind, received_at, response_id)
    SELECT q, list_kind, min(at), min(id) FROM unnest(qs, ats, ids) AS t(q, at, id) GROUP BY q ORDER BY q
    ON CONFLICT (question_id, kind) DO UPDATE
    SET received_at = least(u.received_at, excluded.received_at), response_id = least(u.response_id, excluded.response_id)
    WHERE u.received_at > excluded.received_at OR u.response_id > excluded.response_id
$$;

-- Recompute questions by walking to their first answer in kind's list.
-- Raising (answers that left the list at ats/ids, or -infinity/0 when
-- not known): those whose value is at or after one of them, walking from
-- the value. Otherwise (answers that may have joined the list, in it or
-- not): those whose value is after one of them, walking from there.
-- Every answer before where a walk starts is out of the list, so the
-- result is exact; the walk is short, as the answers it passes are the
-- ones just coded. A question without a row is walked from the start.
CREATE FUNCTION heard_uncoded_walk(list_kind text, qs integer[], ats timestamptz[], ids bigint[], raising boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    q integer;
    at_ timestamptz;
    id_ bigint;
    cur timestamptz;
    cur_id bigint;
BEGIN
    FOR q, at_, id_ IN
        SELECT t.q, min(t.at), min(t.id) FROM unnest(qs, ats, ids) AS t(q, at, id) GROUP BY t.q ORDER BY t.q
    LOOP
        -- Lock first; the next statement's snapshot sees what the
        -- previous holder of the lock committed.
        INSERT INTO uncoded_from (question_id, kind, received_at, response_id) VALUES (q, list_kind, '-infinity', 0)
        ON CONFLICT (question_id, kind) DO NOTHING;
        SELECT u.received_at, u.response_id INTO cur, cur_id FROM uncoded_from u
        WHERE u.question_id = q AND u.kind = list_kind FOR UPDATE;
        -- Each order is walked only when its own value may move.
        IF cur = '-infinity' OR (raising AND (at_ <= cur OR id_ <= cur_id)) THEN
            UPDATE uncoded_from u
            SET received_at = CASE WHEN at_ <= cur OR cur = '-infinity' THEN heard_first_uncoded(list_kind, q, cur) ELSE cur END,
                response_id = CASE WHEN id_ <= cur_id OR cur = '-infinity' THEN heard_first_uncoded_id(list_kind, q, cur_id) ELSE cur_id END
            WHERE u.question_id = q AND u.kind = list_kind;
        ELSIF NOT raising AND (at_ < cur OR id_ < cur_id) THEN
            UPDATE uncoded_from u
            SET received_at = CASE WHEN at_ < cur THEN heard_first_uncoded(list_kind, q, at_) ELSE cur END,
                response_id = CASE WHEN id_ < cur_id THEN heard_first_uncoded_id(list_kind, q, id_) ELSE cur_id END
            WHERE u.question_id = q AND u.kind = list_kind;
        END IF;
    END LOOP;
END;
$$;

-- Answers joining the lists (inserted, unmerged) or leaving them
-- (deleted, merged): each branch names only the transition tables its
-- event has.
CREATE FUNCTION heard_uncoded_answers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lq integer[];
    lat timestamptz[];
    lid bigint[];
    rq integer[];
    lk text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- One probe per response, not per answer, and per question only
        -- the earliest: a bulk load inserts thousands of answers per
        -- statement, all after the values (a no-op below).
        WITH rs AS MATERIALIZED (
            SELECT r.id, r.received_at FROM responses r
            WHERE r.id = ANY (ARRAY(SELECT DISTINCT response_id FROM new_rows WHERE text IS NOT NULL AND counted))
        )
        SELECT array_agg(m.question_id), array_agg(m.at), array_agg(m.id) INTO lq, lat, lid
        FROM (SELECT n.question_id, min(rs.received_at) AS at, min(n.response_id) AS id
              FROM new_rows n JOIN rs ON rs.id = n.response_id
              WHERE n.text IS NOT NULL AND n.counted
              GROUP BY n.question_id) m
        WHERE EXISTS (SELECT 1 FROM (VALUES ('uncoded'), ('nocode')) v(kind)
                      LEFT JOIN uncoded_from u ON u.question_id = m.question_id AND u.kind = v.kind
                      WHERE u.received_at IS NULL OR m.at < u.received_at OR m.id < u.response_id);
    ELSIF TG_OP = 'DELETE' THEN
        -- The response may be gone already (its trigger deletes answers):
        -- recompute every question that lost a listable answer.
        SELECT array_agg(DISTINCT question_id) INTO rq FROM old_rows WHERE text IS NOT NULL AND counted;
    ELSE
        WITH ch AS (
            SELECT n.question_id, n.response_id,
                   (o.text IS NOT NULL AND o.counted) AS was, (n.text IS NOT NULL AND n.counted) AS is
            FROM new_rows n JOIN old_rows o ON o.response_id = n.response_id AND o.question_id = n.question_id
            WHERE (o.text IS NOT NULL AND o.counted) <> (n.text IS NOT NULL AND n.counted)
        )
        SELECT array_agg(ch.question_id) FILTER (WHERE ch.is), array_agg(r.received_at) FILTER (WHERE ch.is),
               array_agg(ch.response_id) FILTER (WHERE ch.is), array_agg(DISTINCT ch.question_id) FILTER (WHERE ch.was)
        INTO lq, lat, lid, rq
        FROM ch JOIN responses r ON r.id = ch.response_id;
    END IF;
    FOREACH lk IN ARRAY ARRAY['uncoded', 'nocode'] LOOP
        IF lq IS NOT NULL THEN
            PERFORM heard_uncoded_walk(lk, lq, lat, lid, false);
        END IF;
        IF rq IS NOT NULL THEN
            PERFORM heard_uncoded_walk(lk, rq, array_fill('-infinity'::timestamptz, ARRAY[cardinality(rq)]),
                                       array_fill(0::bigint, ARRAY[cardinality(rq)]), true);
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER answers_uncoded_insert AFTER INSERT ON answers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_uncoded_answers();
CREATE TRIGGER answers_uncoded_update AFTER UPDATE ON answers
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_uncoded_answers();
CREATE TRIGGER answers_uncoded_delete AFTER DELETE ON answers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_uncoded_answers();

-- Codings: an answer's main coding state changing. Only listable answers
-- matter (the join to answers).
CREATE FUNCTION heard_uncoded_states() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lk text;
    lq integer[];
    lat timestamptz[];
    lid bigint[];
    rq integer[];
    rat timestamptz[];
    rid bigint[];
BEGIN
    FOREACH lk IN ARRAY ARRAY['uncoded', 'nocode'] LOOP
        IF TG_OP = 'INSERT' THEN
            SELECT NULL, NULL, NULL, array_agg(n.question_id), array_agg(r.received_at), array_agg(n.response_id)
            INTO lq, lat, lid, rq, rat, rid
            FROM new_rows n
            JOIN answers a ON a.response_id = n.response_id AND a.question_id = n.question_id AND a.text IS NOT NULL AND a.counted
            JOIN responses r ON r.id = n.response_id
            WHERE n.segment_id IS NULL AND heard_uncoded_done(lk, n.coded, n.code_count);
        ELSIF TG_OP = 'DELETE' THEN
            SELECT array_agg(o.question_id), array_agg(r.received_at), array_agg(o.response_id), NULL, NULL, NULL
            INTO lq, lat, lid, rq, rat, rid
            FROM old_rows o
            JOIN answers a ON a.response_id = o.response_id AND a.question_id = o.question_id AND a.text IS NOT NULL AND a.counted
            JOIN responses r ON r.id = o.response_id
            WHERE o.segment_id IS NULL AND heard_uncoded_done(lk, o.coded, o.code_count);
        ELSE
            WITH ch AS (
                SELECT n.question_id, n.response_id, heard_uncoded_done(lk, n.coded, n.code_count) AS done
                FROM new_rows n JOIN old_rows o ON o.question_id = n.question_id AND o.response_id = n.response_id
                WHERE n.segment_id IS NULL AND o.segment_id IS NULL
                  AND heard_uncoded_done(lk, n.coded, n.code_count) <> heard_uncoded_done(lk, o.coded, o.code_count)
            )
            SELECT array_agg(ch.question_id) FILTER (WHERE NOT ch.done), array_agg(r.received_at) FILTER (WHERE NOT ch.done),
                   array_agg(ch.response_id) FILTER (WHERE NOT ch.done),
                   array_agg(ch.question_id) FILTER (WHERE ch.done), array_agg(r.received_at) FILTER (WHERE ch.done),
                   array_agg(ch.response_id) FILTER (WHERE ch.done)
            INTO lq, lat, lid, rq, rat, rid
            FROM ch
            JOIN answers a ON a.response_id = ch.response_id AND a.question_id = ch.question_id AND a.text IS NOT NULL AND a.counted
            JOIN responses r ON r.id = ch.response_id;
        END IF;
        IF lq IS NOT NULL THEN
            PERFORM heard_uncoded_lower(lk, lq, lat, lid);
        END IF;
        IF rq IS NOT NULL THEN
            PERFORM heard_uncoded_walk(lk, rq, rat, rid, true);
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER unit_states_uncoded_insert AFTER INSERT ON unit_states
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_uncoded_states();
CREATE TRIGGER unit_states_uncoded_update AFTER UPDATE ON unit_states
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_uncoded_states();
CREATE TRIGGER unit_states_uncoded_delete AFTER DELETE ON unit_states
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_uncoded_states();

-- Every open question of every consultation, from what is stored now.
INSERT INTO uncoded_from (question_id, kind, received_at, response_id)
SELECT q.id, k.kind, heard_first_uncoded(k.kind, q.id, '-infinity'), heard_first_uncoded_id(k.kind, q.id, 0)
FROM questions q CROSS JOIN (VALUES ('uncoded'), ('nocode')) k(kind)
WHERE q.kind = 'open';

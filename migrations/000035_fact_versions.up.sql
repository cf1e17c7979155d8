-- Versions of response_facts by block of responses (issue #12 item 9:
-- every page p95 < 50 ms at 1M responses, with filters no summary keeps).
--
-- Two or more answer filters, an answer with events, the compare page
-- under an answer filter and the like were counted from response_facts
-- row by row in SQL: one scattered heap row per matching response and an
-- unnest of its answers (0.5-11 s at 1M). Counting the same rows in Go
-- from a copy held in memory takes a few milliseconds; what must stay
-- exact is the copy. So results keeps response_facts in memory by block
-- of 4,096 response ids (response_id >> 12) and, before counting, reads
-- this table in the same REPEATABLE READ snapshot: a block whose
-- versions differ from those of its copy is read again, in that
-- snapshot, so the figures are those of one committed state, as if
-- counted in SQL.
--
-- Every statement that changes response_facts (the load path, changes
-- of group, channel, organisation, event or date, merges, withdrawals,
-- erasure, deletes: all reach response_facts, see 000028) stamps the
-- blocks it touched with a new number from a sequence, in the same
-- transaction. Stamps are per backend shard (pid % 8), like the other
-- summaries, so concurrent webform inserts into the newest block rarely
-- wait on each other's row. A block's signature is all its shards'
-- stamps: two snapshots with the same signature see the same rows
-- (stamps are never reused, and a writer that stamps a shard row after
-- another waits for it to commit).
CREATE SEQUENCE fact_version_seq;

CREATE TABLE fact_versions (
    consultation_id bigint NOT NULL,
    block           bigint NOT NULL, -- response_id >> 12
    shard           smallint NOT NULL,
    version         bigint NOT NULL,
    PRIMARY KEY (consultation_id, block, shard)
) WITH (fillfactor = 50); -- room for HOT updates of version

CREATE FUNCTION heard_stamp_facts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v bigint := nextval('fact_version_seq');
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO fact_versions AS s
        SELECT DISTINCT consultation_id, response_id >> 12, pg_backend_pid() % 8, v FROM new_rows
        ORDER BY 1, 2
        ON CONFLICT (consultation_id, block, shard) DO UPDATE SET version = excluded.version;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO fact_versions AS s
        SELECT DISTINCT consultation_id, response_id >> 12, pg_backend_pid() % 8, v FROM old_rows
        ORDER BY 1, 2
        ON CONFLICT (consultation_id, block, shard) DO UPDATE SET version = excluded.version;
    ELSE
        INSERT INTO fact_versions AS s
        SELECT DISTINCT consultation_id, response_id >> 12, pg_backend_pid() % 8, v
        FROM (SELECT consultation_id, response_id FROM new_rows UNION ALL SELECT consultation_id, response_id FROM old_rows) k
        ORDER BY 1, 2
        ON CONFLICT (consultation_id, block, shard) DO UPDATE SET version = excluded.version;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER response_facts_stamp_insert AFTER INSERT ON response_facts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_stamp_facts();
CREATE TRIGGER response_facts_stamp_delete AFTER DELETE ON response_facts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_stamp_facts();
CREATE TRIGGER response_facts_stamp_update AFTER UPDATE ON response_facts
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_stamp_facts();

-- What is already stored.
INSERT INTO fact_versions (consultation_id, block, shard, version)
SELECT consultation_id, response_id >> 12, 0, nextval('fact_version_seq')
FROM response_facts
GROUP BY 1, 2;

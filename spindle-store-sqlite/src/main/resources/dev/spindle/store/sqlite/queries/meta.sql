-- Counters kept by the writer in memory and persisted in the transaction that advances them.

-- name: load_counter
SELECT value FROM spindle_meta WHERE name = ?1

-- name: save_counter
INSERT INTO spindle_meta (name, value) VALUES (?1, ?2)
    ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)

-- name: max_task_id
SELECT coalesce(max(id), 0) FROM spindle_task

-- The leases the writer's lease table starts with. A scan of the whole table, once per open: no
-- index holds RUNNING rows (see LeaseTable).
-- name: running_leases
SELECT id, lease_token, coalesce(lease_until, 0) FROM spindle_task WHERE state = 'RUNNING'

-- The ids a commit finished, for the purge (see migration 005).
-- name: save_finished
INSERT INTO spindle_finished (finished_at, ids) VALUES (?1, ?2)

-- Counters kept by the writer in memory and persisted in the transaction that advances them.

-- name: load_counter
SELECT value FROM spindle_meta WHERE name = ?1

-- name: save_counter
INSERT INTO spindle_meta (name, value) VALUES (?1, ?2)
    ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)

-- name: max_task_id
SELECT coalesce(max(id), 0) FROM spindle_task

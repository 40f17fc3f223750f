-- Reads, run on the read-only connections (never through the writer).
-- A LIMIT takes (?n + 0), never a bare ?n: see task_write.sql.

-- name: get_by_ids
SELECT id, type, queue, state, priority, payload, result, last_error, attempts, max_attempts,
       created_at, run_at, deadline, started_at, finished_at, idempotency_key, progress,
       lease_owner, cancel_requested,
       (SELECT json_group_array(d.parent) FROM spindle_task_dep d
         WHERE d.child = spindle_task.id) AS depends_on
  FROM spindle_task
 WHERE id IN (SELECT value FROM json_each(?1))

-- Stored READY splits into SCHEDULED (?6 = 1) and READY (?6 = 0) around ?5 = now; a null ?5
-- disables the split. ?4 is the cursor (Long.MAX_VALUE on the first page) so paging stays a
-- range scan on the primary key.
-- name: list
SELECT id, type, queue, state, priority, payload, result, last_error, attempts, max_attempts,
       created_at, run_at, deadline, started_at, finished_at, idempotency_key, progress,
       lease_owner, cancel_requested,
       (SELECT json_group_array(d.parent) FROM spindle_task_dep d
         WHERE d.child = spindle_task.id) AS depends_on
  FROM spindle_task
 WHERE id < ?4
   AND (?1 IS NULL OR queue = ?1)
   AND (?2 IS NULL OR state = ?2)
   AND (?3 IS NULL OR type = ?3)
   AND (?5 IS NULL OR (run_at > ?5) = ?6)
 ORDER BY id DESC
 LIMIT (?7 + 0)

-- name: stats
SELECT queue,
       CASE WHEN state = 'READY' AND run_at > ?1 THEN 'SCHEDULED' ELSE state END AS shown,
       count(*)
  FROM spindle_task
 GROUP BY queue, shown
 ORDER BY queue

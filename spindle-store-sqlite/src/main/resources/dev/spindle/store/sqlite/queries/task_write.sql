-- Hot-path writes run by the group-commit writer: insert, claim, complete, heartbeat.
-- Every change to a RUNNING task is fenced on its lease token.
--
-- A LIMIT takes (?n + 0), never a bare ?n, in every file here. SQLite reads a bare bound LIMIT
-- while planning and marks the statement to be prepared again whenever that parameter is bound
-- anew, which the driver does on every execution: a claim of 22 tasks took 132-139 us with
-- LIMIT ?6, 76-86 us with LIMIT (?6 + 0), the difference being the parser and planner run again.

-- name: insert
INSERT INTO spindle_task (id, type, queue, state, priority, payload, max_attempts, created_at,
                          run_at, deadline, timeout_ms, idempotency_key, fingerprint)
VALUES (?1, ?2, ?3, ?13, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)

-- A new task leased at once to the worker that submitted it (EnqueueWrite), as a claim would.
-- name: insert_started
INSERT INTO spindle_task (id, type, queue, state, priority, payload, max_attempts, created_at,
                          run_at, deadline, timeout_ms, idempotency_key, fingerprint, attempts,
                          lease_owner, lease_token, lease_until, started_at)
VALUES (?1, ?2, ?3, 'RUNNING', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, ?13, ?14, ?15, ?16)

-- Whether a claim at ?2 would find a task of queue ?1: the same search, stopped at the first.
-- name: queue_has_due_task
SELECT 1 FROM spindle_task
 WHERE state = 'READY' AND queue = ?1 AND run_at <= ?2
   AND (deadline IS NULL OR deadline >= ?2)
 LIMIT 1

-- name: insert_dependency
INSERT OR IGNORE INTO spindle_task_dep (child, parent) VALUES (?1, ?2)

-- How many of the given ids (a JSON array) name a task that exists and is not final yet.
-- name: count_unfinished
SELECT count(*) FROM spindle_task
 WHERE id IN (SELECT value FROM json_each(?1))
   AND state IN ('WAITING', 'READY', 'RUNNING')

-- name: find_by_idempotency_key
SELECT id, fingerprint FROM spindle_task WHERE idempotency_key = ?1

-- The queue is the one asked for. ClaimWrite reads the returned columns by position.
-- name: claim
UPDATE spindle_task
   SET state = 'RUNNING', attempts = attempts + 1, lease_owner = ?1, lease_token = ?2,
       lease_until = ?3, started_at = ?4, cancel_requested = 0
 WHERE id IN (SELECT id FROM spindle_task
               WHERE state = 'READY' AND queue = ?5 AND run_at <= ?4
                 AND (deadline IS NULL OR deadline >= ?4)
               ORDER BY priority DESC, run_at, id
               LIMIT (?6 + 0))
RETURNING id, type, payload, priority, attempts, max_attempts, created_at, run_at, deadline,
          timeout_ms

-- name: complete_succeeded
UPDATE spindle_task
   SET state = 'SUCCEEDED', result = ?1, finished_at = ?2, lease_owner = NULL, lease_until = NULL
 WHERE id = ?3 AND state = 'RUNNING' AND lease_token = ?4

-- name: complete_retry
UPDATE spindle_task
   SET state = 'READY', last_error = ?1, run_at = ?2, lease_owner = NULL, lease_until = NULL
 WHERE id = ?3 AND state = 'RUNNING' AND lease_token = ?4

-- name: complete_dead
UPDATE spindle_task
   SET state = 'DEAD', last_error = ?1, finished_at = ?2, lease_owner = NULL, lease_until = NULL
 WHERE id = ?3 AND state = 'RUNNING' AND lease_token = ?4

-- name: complete_cancelled
UPDATE spindle_task
   SET state = 'CANCELLED', finished_at = ?1, lease_owner = NULL, lease_until = NULL
 WHERE id = ?2 AND state = 'RUNNING' AND lease_token = ?3

-- name: complete_released
UPDATE spindle_task
   SET state = 'READY', run_at = ?1, attempts = attempts - 1, lease_owner = NULL,
       lease_until = NULL
 WHERE id = ?2 AND state = 'RUNNING' AND lease_token = ?3

-- name: heartbeat
UPDATE spindle_task SET lease_until = ?1, progress = coalesce(?2, progress)
 WHERE id = ?3 AND state = 'RUNNING' AND lease_token = ?4 AND lease_owner = ?5
RETURNING cancel_requested

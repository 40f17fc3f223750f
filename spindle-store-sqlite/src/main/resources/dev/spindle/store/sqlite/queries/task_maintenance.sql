-- Writes run by maintenance services and operators: rescue, expiry, purge, cancel, retry.
-- A LIMIT takes (?n + 0), never a bare ?n: see task_write.sql.

-- The row of a rescue candidate of the writer's lease table (LeaseTable), read by position.
-- name: lease_of
SELECT state, lease_token, lease_owner, coalesce(lease_until, 0), attempts, max_attempts
  FROM spindle_task
 WHERE id = ?1

-- name: rescue_requeue
UPDATE spindle_task SET state = 'READY', last_error = ?1, lease_owner = NULL, lease_until = NULL
 WHERE id = ?2 AND state = 'RUNNING' AND lease_token = ?3

-- name: rescue_dead
UPDATE spindle_task
   SET state = 'DEAD', last_error = ?1, finished_at = ?2, lease_owner = NULL, lease_until = NULL
 WHERE id = ?3 AND state = 'RUNNING' AND lease_token = ?4

-- The expired ids are listed for the purge (spindle_finished).
-- name: expire_overdue
UPDATE spindle_task SET state = 'EXPIRED', finished_at = ?1
 WHERE id IN (SELECT id FROM spindle_task
               WHERE state = 'READY' AND deadline IS NOT NULL AND deadline < ?1
               LIMIT (?2 + 0))
RETURNING id

-- A waiting task's deadline is checked here only: waiting tasks are few and never claimed.
-- name: expire_overdue_waiting
UPDATE spindle_task SET state = 'EXPIRED', finished_at = ?1
 WHERE id IN (SELECT id FROM spindle_task INDEXED BY spindle_task_waiting
               WHERE state = 'WAITING' AND deadline IS NOT NULL AND deadline < ?1
               LIMIT (?2 + 0))
RETURNING id

-- A parent that no longer exists (purged) counts as final.
-- name: promote_waiting
UPDATE spindle_task SET state = 'READY'
 WHERE id IN (SELECT t.id FROM spindle_task t INDEXED BY spindle_task_waiting
               WHERE t.state = 'WAITING'
                 AND NOT EXISTS (SELECT 1 FROM spindle_task_dep d
                                   JOIN spindle_task p ON p.id = d.parent
                                  WHERE d.child = t.id
                                    AND p.state IN ('WAITING', 'READY', 'RUNNING'))
               LIMIT (?1 + 0))

-- The oldest lists of finished ids (spindle_finished, one row per commit that finished tasks).
-- name: purge_lists
SELECT rowid, ids FROM spindle_finished
 WHERE finished_at < ?1
 ORDER BY finished_at, rowid
 LIMIT (?2 + 0)

-- A listed task is deleted only if it is still final and finished before the cutoff: it may have
-- been retried since, and finished again later.
-- name: purge_task
DELETE FROM spindle_task
 WHERE id = ?1 AND finished_at < ?2 AND state IN ('SUCCEEDED', 'CANCELLED', 'EXPIRED')

-- name: purge_task_dependencies
DELETE FROM spindle_task_dep WHERE child = ?1

-- name: purge_list_done
DELETE FROM spindle_finished WHERE rowid = ?1

-- name: purge_list_rest
UPDATE spindle_finished SET ids = ?1 WHERE rowid = ?2

-- name: state_of
SELECT state FROM spindle_task WHERE id = ?1

-- name: cancel_waiting
UPDATE spindle_task SET state = 'CANCELLED', finished_at = ?1 WHERE id = ?2 AND state IN ('READY', 'WAITING')

-- name: request_cancel
UPDATE spindle_task SET cancel_requested = 1 WHERE id = ?1 AND state = 'RUNNING'

-- name: retry
UPDATE spindle_task
   SET state = 'READY', attempts = 0, run_at = ?1, deadline = NULL, finished_at = NULL,
       result = NULL, progress = NULL, cancel_requested = 0
 WHERE id = ?2 AND state IN ('DEAD', 'CANCELLED', 'EXPIRED')

-- Maintenance, run by the one node that holds the maintenance lock: rescue, expiry, promotion,
-- purge. Each statement locks the rows it changes with SKIP LOCKED, so it is also safe, only
-- wasteful, should two nodes ever run it at once. The locked rows are then changed through
-- "id = ANY (ARRAY(...))", a primary key lookup whatever the (always stale) statistics of a queue
-- table say; a join with the CTE may be planned as a hash join over the whole table.

-- Expired leases go back to READY, or to the history table as DEAD when the lost attempt was
-- their last. The task keeps its run_at, so it is due at once and keeps its place. The rows stay
-- locked from the CTE to the change, so the lease read is the lease changed: a heartbeat that
-- renewed it first makes FOR UPDATE skip the row (its WHERE no longer holds).
-- name: rescue_expired
-- plan: every execution
WITH expired AS (
  SELECT id FROM {schema}.spindle_task
   WHERE state = 'RUNNING' AND lease_until < (timestamptz 'epoch' + :now * interval '1 ms')
   ORDER BY lease_until
   LIMIT :limit
   FOR UPDATE SKIP LOCKED
),
dead AS (
  DELETE FROM {schema}.spindle_task t
   WHERE t.id = ANY (ARRAY(SELECT id FROM expired)) AND t.state = 'RUNNING'
     AND t.attempts >= t.max_attempts
  RETURNING t.*
),
archived AS (
  INSERT INTO {schema}.spindle_task_done
         (id, type, queue, state, priority, payload, result, last_error, attempts, max_attempts,
          created_at, run_at, deadline, timeout_ms, started_at, finished_at, idempotency_key,
          fingerprint, progress, lease_owner, lease_token, lease_until, cancel_requested)
  SELECT id, type, queue, 'DEAD', priority, payload, result,
         format('the lease of worker ''%s'' expired before attempt %s of %s finished'
                || ' (the worker stopped or could not renew its lease in time)',
                lease_owner, attempts, max_attempts),
         attempts, max_attempts, created_at, run_at, deadline, timeout_ms, started_at,
         (timestamptz 'epoch' + :now * interval '1 ms'), idempotency_key, fingerprint, progress, NULL,
         lease_token,
         NULL, cancel_requested
    FROM dead
),
requeued AS (
  UPDATE {schema}.spindle_task t
     SET state = 'READY',
         last_error = format('the lease of worker ''%s'' expired before attempt %s of %s finished'
                             || ' (the worker stopped or could not renew its lease in time)',
                             t.lease_owner, t.attempts, t.max_attempts),
         lease_owner = NULL, lease_until = NULL
   WHERE t.id = ANY (ARRAY(SELECT id FROM expired)) AND t.state = 'RUNNING'
     AND t.attempts < t.max_attempts
  RETURNING t.id, t.queue
)
SELECT id, queue, false AS dead FROM requeued
UNION ALL
SELECT id, queue, true AS dead FROM dead

-- READY and WAITING tasks past their deadline move to the history table as EXPIRED.
-- name: expire_overdue
-- plan: every execution
WITH overdue AS (
  SELECT id FROM {schema}.spindle_task
   WHERE state IN ('READY', 'WAITING') AND deadline IS NOT NULL
     AND deadline < (timestamptz 'epoch' + :now * interval '1 ms')
   LIMIT :limit
   FOR UPDATE SKIP LOCKED
),
expired AS (
  DELETE FROM {schema}.spindle_task t
   WHERE t.id = ANY (ARRAY(SELECT id FROM overdue)) AND t.state IN ('READY', 'WAITING')
  RETURNING t.*
)
INSERT INTO {schema}.spindle_task_done
       (id, type, queue, state, priority, payload, result, last_error, attempts, max_attempts,
        created_at, run_at, deadline, timeout_ms, started_at, finished_at, idempotency_key,
        fingerprint, progress, lease_owner, lease_token, lease_until, cancel_requested)
SELECT id, type, queue, 'EXPIRED', priority, payload, result, last_error, attempts, max_attempts,
       created_at, run_at, deadline, timeout_ms, started_at,
       (timestamptz 'epoch' + :now * interval '1 ms'),
       idempotency_key, fingerprint, progress, NULL, lease_token, NULL, cancel_requested
  FROM expired

-- A WAITING task is ready once none of its parents is in the hot table: a parent that is final
-- has moved to the history table, and one that was purged is gone.
-- name: promote_waiting
-- plan: every execution
WITH ready AS (
  SELECT t.id FROM {schema}.spindle_task t
   WHERE t.state = 'WAITING'
     AND NOT EXISTS (SELECT 1 FROM {schema}.spindle_task_dep d
                       JOIN {schema}.spindle_task p ON p.id = d.parent
                      WHERE d.child = t.id)
   LIMIT :limit
   FOR UPDATE OF t SKIP LOCKED
)
UPDATE {schema}.spindle_task t
   SET state = 'READY'
 WHERE t.id = ANY (ARRAY(SELECT id FROM ready)) AND t.state = 'WAITING'
RETURNING t.queue, t.run_at <= t.created_at AS due

-- Deletes old finished tasks with their dependency rows and idempotency keys. DEAD tasks stay.
-- name: purge_finished
-- plan: every execution
WITH purged AS (
  DELETE FROM {schema}.spindle_task_done
   WHERE id = ANY (ARRAY(SELECT id FROM {schema}.spindle_task_done
                          WHERE state <> 'DEAD'
                            AND finished_at < (timestamptz 'epoch' + :cutoff * interval '1 ms')
                          ORDER BY finished_at
                          LIMIT :limit
                          FOR UPDATE SKIP LOCKED))
  RETURNING id, idempotency_key
),
deps AS (
  DELETE FROM {schema}.spindle_task_dep WHERE child = ANY (ARRAY(SELECT id FROM purged))
),
keys AS (
  DELETE FROM {schema}.spindle_idempotency_key k
   WHERE k.key = ANY (ARRAY(SELECT idempotency_key FROM purged
                             WHERE idempotency_key IS NOT NULL))
     AND k.task_id = ANY (ARRAY(SELECT id FROM purged))
)
SELECT count(*) FROM purged

-- Wakes listening nodes for queues that got READY tasks outside an enqueue.
-- name: notify_queues
SELECT pg_notify(:channel::text, q) FROM unnest(:queues::text[]) AS q

-- Operator actions by id: cancel, retry. Each answers every id; ids neither statement changed are
-- classified by a fresh look at where they are (locate), as a concurrent change may have moved
-- them after the statement's snapshot.

-- WAITING and READY tasks move to the history table as CANCELLED; RUNNING ones get their cancel
-- flag, which the lease holder reads with its next heartbeat.
-- name: cancel
-- plan: every execution
WITH cancelled AS (
  DELETE FROM {schema}.spindle_task t
   WHERE t.id = ANY (:ids::bigint[]) AND t.state IN ('READY', 'WAITING')
  RETURNING t.*
),
archived AS (
  INSERT INTO {schema}.spindle_task_done
         (id, type, queue, state, priority, payload, result, last_error, attempts, max_attempts,
          created_at, run_at, deadline, timeout_ms, started_at, finished_at, idempotency_key,
          fingerprint, progress, lease_owner, lease_token, lease_until, cancel_requested)
  SELECT id, type, queue, 'CANCELLED', priority, payload, result, last_error, attempts,
         max_attempts, created_at, run_at, deadline, timeout_ms, started_at,
         (timestamptz 'epoch' + :now * interval '1 ms'), idempotency_key, fingerprint, progress, NULL,
         lease_token,
         NULL, cancel_requested
    FROM cancelled
),
flagged AS (
  UPDATE {schema}.spindle_task t
     SET cancel_requested = true
   WHERE t.id = ANY (:ids::bigint[]) AND t.state = 'RUNNING'
  RETURNING t.id
)
SELECT id, 'CANCELLED' AS result FROM cancelled
UNION ALL
SELECT id, 'CANCEL_REQUESTED' AS result FROM flagged

-- DEAD, CANCELLED and EXPIRED tasks move back to the hot table, READY at :now with a fresh
-- attempt budget and no deadline. The last error stays visible.
-- name: retry
-- plan: every execution
WITH moved AS (
  DELETE FROM {schema}.spindle_task_done d
   WHERE d.id = ANY(:ids::bigint[]) AND d.state IN ('DEAD', 'CANCELLED', 'EXPIRED')
  RETURNING d.*
)
INSERT INTO {schema}.spindle_task
       (id, type, queue, state, priority, payload, result, last_error, attempts, max_attempts,
        created_at, run_at, deadline, timeout_ms, started_at, finished_at, idempotency_key,
        fingerprint, progress, lease_owner, lease_token, lease_until, cancel_requested)
SELECT id, type, queue, 'READY', priority, payload, NULL, last_error, 0, max_attempts,
       created_at, (timestamptz 'epoch' + :now * interval '1 ms'), NULL, timeout_ms, started_at,
       NULL,
       idempotency_key, fingerprint, NULL, NULL, lease_token, NULL, false
  FROM moved
RETURNING id, queue

-- name: locate
-- plan: every execution
SELECT id, true AS finished FROM {schema}.spindle_task_done WHERE id = ANY(:ids::bigint[])
UNION ALL
SELECT id, false AS finished FROM {schema}.spindle_task WHERE id = ANY(:ids::bigint[])

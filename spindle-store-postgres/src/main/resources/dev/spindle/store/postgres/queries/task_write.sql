-- Hot-path writes: enqueue, claim, complete, heartbeat. Each is one statement, so each call is
-- one round trip and, outside a caller's transaction, its own transaction.
-- Every change to a RUNNING task is fenced on its lease token.
-- Parameters are named (:name); times travel as epoch milliseconds and are stored as timestamptz,
-- converted as 'epoch' + ms * 1 ms: exact to the microsecond up to the year 2255, and a sixth of
-- the cost of to_timestamp(ms / 1000.0), whose numeric division made three conversions per
-- enqueued row a visible share of the enqueue (0.23 against 0.04 us each, psql).
--
-- Statements that look rows up in the task tables are marked. A queue table's statistics are
-- stale by nature, and a plan cached while the table was small (a fresh store) scans the whole
-- table once it is large. Each of them finds rows by "id = ANY (array)" or an index-ordered LIMIT.
-- "-- plan: every execution": planned anew on each execution, with the table's current size.
-- "-- plan: once, on indexes": the hot path; planned once per connection on the store's own
-- sessions, which leave the planner no cheaper way than those index walks (ConnectionSource), and
-- on every execution on a caller's DataSource.

-- Writes a batch. unnest(... WITH ORDINALITY) yields the rows in array order and nextval runs per
-- row in that order, so ids increase in input order; the final SELECT maps them back by ordinal.
-- A keyed task is written only if its key was free (ON CONFLICT waits for a concurrent writer of
-- the same key to commit or roll back, then reports the key taken or free); the caller looks up
-- the holder of every key that was taken. A task waits (WAITING) while any task it depends on is
-- still in the hot table, i.e. not final. Due READY tasks of the queues in :notify_queues wake
-- listening nodes: pg_notify delivers one notification per distinct payload per transaction, and
-- only on commit. The count(*) over woken is what runs the pg_notify calls: a plain SELECT in WITH
-- runs only if read. Its plan is cached: without dependencies it looks nothing up; a batch with
-- dependencies is planned for its values (EnqueueStatement).
-- name: enqueue
WITH input AS MATERIALIZED (
  SELECT nextval('{schema}.spindle_task_id_seq') AS id, u.*
    FROM unnest(:types::text[], :queues::text[], :payloads::text[], :priorities::int[],
                :run_ats::bigint[], :deadlines::bigint[], :max_attempts::int[],
                :timeouts::bigint[], :keys::text[], :fingerprints::text[], :created_ats::bigint[])
         WITH ORDINALITY AS u(type, queue, payload, priority, run_at_ms, deadline_ms,
                              max_attempts, timeout_ms, idempotency_key, fingerprint,
                              created_at_ms, ord)
),
keyed AS (
  INSERT INTO {schema}.spindle_idempotency_key (key, fingerprint, task_id)
  SELECT idempotency_key, fingerprint, id FROM input WHERE idempotency_key IS NOT NULL
  ON CONFLICT (key) DO NOTHING
  RETURNING task_id
),
fresh AS (
  SELECT * FROM input
   WHERE idempotency_key IS NULL OR id IN (SELECT task_id FROM keyed)
),
dep AS (
  SELECT f.id AS child, d.parent
    FROM unnest(:dep_ords::bigint[], :dep_parents::bigint[]) AS d(ord, parent)
    JOIN fresh f ON f.ord = d.ord
),
inserted AS (
  INSERT INTO {schema}.spindle_task
         (id, type, queue, state, priority, payload, max_attempts, created_at, run_at, deadline,
          timeout_ms, idempotency_key, fingerprint)
  SELECT f.id, f.type, f.queue,
         CASE WHEN EXISTS (SELECT 1 FROM dep d JOIN {schema}.spindle_task p ON p.id = d.parent
                            WHERE d.child = f.id)
              THEN 'WAITING' ELSE 'READY' END,
         f.priority, f.payload, f.max_attempts,
         (timestamptz 'epoch' + f.created_at_ms * interval '1 ms'),
         (timestamptz 'epoch' + f.run_at_ms * interval '1 ms'),
         (timestamptz 'epoch' + f.deadline_ms * interval '1 ms'), f.timeout_ms,
         f.idempotency_key, f.fingerprint
    FROM fresh f
  RETURNING queue, state, run_at <= created_at AS due
),
dep_rows AS (
  INSERT INTO {schema}.spindle_task_dep (child, parent)
  SELECT child, parent FROM dep
  ON CONFLICT DO NOTHING
),
woken AS (
  SELECT pg_notify(:channel::text, q.queue)
    FROM (SELECT DISTINCT queue FROM inserted
           WHERE state = 'READY' AND due AND queue = ANY(:notify_queues::text[])) q
)
SELECT i.id,
       i.idempotency_key IS NULL OR i.id IN (SELECT task_id FROM keyed) AS created,
       (SELECT count(*) FROM woken) AS woken
  FROM input i
 ORDER BY i.ord

-- The enqueue of a batch without idempotency keys or dependencies, the common case: the same rows
-- as enqueue writes for it, with three CTEs instead of seven and no lookups, which halves its
-- planning on a session that plans every execution (measured: 0.3 ms instead of 0.55-0.75 ms for
-- 20 tasks). Same parameters as enqueue but for the keys and the dependencies.
-- name: enqueue_plain
WITH input AS MATERIALIZED (
  SELECT nextval('{schema}.spindle_task_id_seq') AS id, u.*
    FROM unnest(:types::text[], :queues::text[], :payloads::text[], :priorities::int[],
                :run_ats::bigint[], :deadlines::bigint[], :max_attempts::int[],
                :timeouts::bigint[], :fingerprints::text[], :created_ats::bigint[])
         WITH ORDINALITY AS u(type, queue, payload, priority, run_at_ms, deadline_ms,
                              max_attempts, timeout_ms, fingerprint, created_at_ms, ord)
),
inserted AS (
  INSERT INTO {schema}.spindle_task
         (id, type, queue, state, priority, payload, max_attempts, created_at, run_at, deadline,
          timeout_ms, fingerprint)
  SELECT id, type, queue, 'READY', priority, payload, max_attempts,
         (timestamptz 'epoch' + created_at_ms * interval '1 ms'),
         (timestamptz 'epoch' + run_at_ms * interval '1 ms'),
         (timestamptz 'epoch' + deadline_ms * interval '1 ms'), timeout_ms, fingerprint
    FROM input
  RETURNING queue, run_at <= created_at AS due
),
woken AS (
  SELECT pg_notify(:channel::text, q.queue)
    FROM (SELECT DISTINCT queue FROM inserted
           WHERE due AND queue = ANY(:notify_queues::text[])) q
)
SELECT i.id, true AS created, (SELECT count(*) FROM woken) AS woken
  FROM input i
 ORDER BY i.ord

-- enqueue_plain for a batch that may start tasks on the submitting node (enqueueAndStart): a row
-- with a lease in :start_untils is inserted RUNNING, as a claim would leave it (one attempt, a
-- fresh lease token shared by the statement, started at :start_ats), unless a stored task of its
-- queue is due at that time, which a claim would take first: then it is inserted READY like the
-- others. The probe runs once per queue and time (open_queue), as the claim's own index-ordered
-- search stopped at its first row: an EXISTS per row was planned as a scan of the table per row on
-- a fresh store, and took a submit of 1,000 tasks from 30 to 70 ms. It sees the table as it was
-- before this statement, so rows of the batch never hold each other back; a due row locked by a
-- claim under way still counts. The token's InitPlan runs only if a row starts. Returns each
-- row's lease token, null for rows inserted READY.
-- name: enqueue_start
-- plan: once, on indexes
WITH input AS MATERIALIZED (
  SELECT nextval('{schema}.spindle_task_id_seq') AS id, u.*
    FROM unnest(:types::text[], :queues::text[], :payloads::text[], :priorities::int[],
                :run_ats::bigint[], :deadlines::bigint[], :max_attempts::int[],
                :timeouts::bigint[], :fingerprints::text[], :created_ats::bigint[],
                :start_owners::text[], :start_ats::bigint[], :start_untils::bigint[])
         WITH ORDINALITY AS u(type, queue, payload, priority, run_at_ms, deadline_ms,
                              max_attempts, timeout_ms, fingerprint, created_at_ms, start_owner,
                              start_at_ms, start_until_ms, ord)
),
open_queue AS MATERIALIZED (
  SELECT q.queue, q.start_at_ms
    FROM (SELECT DISTINCT queue, start_at_ms FROM input WHERE start_until_ms IS NOT NULL) q
   WHERE (SELECT t.id FROM {schema}.spindle_task t
           WHERE t.queue = q.queue AND t.state = 'READY'
             AND t.run_at <= (timestamptz 'epoch' + q.start_at_ms * interval '1 ms')
             AND (t.deadline IS NULL
                  OR t.deadline >= (timestamptz 'epoch' + q.start_at_ms * interval '1 ms'))
           ORDER BY t.priority DESC, t.run_at, t.id
           LIMIT 1) IS NULL
),
decided AS MATERIALIZED (
  SELECT i.*,
         i.start_until_ms IS NOT NULL
           AND (i.queue, i.start_at_ms) IN (SELECT queue, start_at_ms FROM open_queue) AS starts
    FROM input i
),
inserted AS (
  INSERT INTO {schema}.spindle_task
         (id, type, queue, state, priority, payload, max_attempts, created_at, run_at, deadline,
          timeout_ms, fingerprint, attempts, lease_owner, lease_token, lease_until, started_at)
  SELECT id, type, queue, CASE WHEN starts THEN 'RUNNING' ELSE 'READY' END, priority, payload,
         max_attempts, (timestamptz 'epoch' + created_at_ms * interval '1 ms'),
         (timestamptz 'epoch' + run_at_ms * interval '1 ms'),
         (timestamptz 'epoch' + deadline_ms * interval '1 ms'), timeout_ms, fingerprint,
         CASE WHEN starts THEN 1 ELSE 0 END,
         CASE WHEN starts THEN start_owner END,
         CASE WHEN starts THEN (SELECT nextval('{schema}.spindle_lease_token_seq')) END,
         CASE WHEN starts THEN (timestamptz 'epoch' + start_until_ms * interval '1 ms') END,
         CASE WHEN starts THEN (timestamptz 'epoch' + start_at_ms * interval '1 ms') END
    FROM decided
  RETURNING id, queue, state, lease_token, run_at <= created_at AS due
),
woken AS (
  SELECT pg_notify(:channel::text, q.queue)
    FROM (SELECT DISTINCT queue FROM inserted
           WHERE state = 'READY' AND due AND queue = ANY(:notify_queues::text[])) q
)
SELECT i.id, true AS created, (SELECT count(*) FROM woken) AS woken, n.lease_token
  FROM input i JOIN inserted n ON n.id = i.id
 ORDER BY i.ord

-- name: find_idempotency_keys
-- plan: every execution
SELECT key, task_id, fingerprint FROM {schema}.spindle_idempotency_key WHERE key = ANY(:keys::text[])

-- Leases due READY tasks of one queue, skipping those past their deadline (the maintainer's
-- expire_overdue moves them to the history table; doing it here too cost every claim half its
-- planning and execution time: 1.7 ms instead of 0.9 ms for 20 tasks of 50,000 waiting). SKIP
-- LOCKED: concurrent claimers on any node never wait for each other and never receive the same
-- task. One lease token (an InitPlan: evaluated once) serves the whole batch: together with the
-- task id it fences the attempt. The picked rows are updated through "ctid = ANY (ARRAY(...))", a
-- TID scan that goes straight to each row whatever the statistics say: a join with the CTE let
-- the generic plan hash the whole hot table on every claim (measured: 11 ms instead of 1 ms with
-- 20,000 tasks waiting), and "id = ANY" walked the primary key once more per row (a third of the
-- buffers the update reads). A locked row's ctid cannot change until this transaction ends, since
-- nobody else may update it. RETURNING yields rows in storage order; the caller sorts them into
-- claim order.
-- name: claim
-- plan: once, on indexes
WITH picked AS (
  SELECT ctid FROM {schema}.spindle_task
   WHERE queue = :queue AND state = 'READY'
     AND run_at <= (timestamptz 'epoch' + :now * interval '1 ms')
     AND (deadline IS NULL OR deadline >= (timestamptz 'epoch' + :now * interval '1 ms'))
   ORDER BY priority DESC, run_at, id
   LIMIT :max
   FOR UPDATE SKIP LOCKED
)
UPDATE {schema}.spindle_task t
   SET state = 'RUNNING', attempts = t.attempts + 1, lease_owner = :worker,
       lease_token = (SELECT nextval('{schema}.spindle_lease_token_seq')),
       lease_until = (timestamptz 'epoch' + :lease_until * interval '1 ms'),
       started_at = (timestamptz 'epoch' + :now * interval '1 ms'),
       cancel_requested = false
 WHERE t.ctid = ANY (ARRAY(SELECT ctid FROM picked))
RETURNING t.id, t.type, t.queue, t.payload, t.priority, t.attempts, t.max_attempts, t.lease_token,
          t.created_at, t.run_at, t.deadline, t.timeout_ms

-- Applies outcomes still held under their lease token. Final outcomes (SUCCEEDED, DEAD,
-- CANCELLED) come in the :ids arrays and move the task to the history table; RETRY and RELEASED
-- come in the :requeue_ arrays and put it back to READY at its time (RELEASED uncounts the
-- attempt). Two sets of arrays, so each row is looked up once: with one set, both parts looked up
-- every id and filtered half away (measured: 12 % of the statement for 150 successes). Returns
-- the ids applied; the caller reports the rest fenced. Each set is sorted by id, so width_bucket,
-- a binary search, finds each row's place in its arrays without a join whose plan would depend on
-- the table's (stale) statistics.
-- name: complete
-- plan: once, on indexes
WITH finished AS (
  DELETE FROM {schema}.spindle_task t
   WHERE t.id = ANY (:ids::bigint[]) AND t.state = 'RUNNING'
     AND t.lease_token = (:tokens::bigint[])[width_bucket(t.id, :ids::bigint[])]
  RETURNING t.*, width_bucket(t.id, :ids::bigint[]) AS i
),
archived AS (
  INSERT INTO {schema}.spindle_task_done
         (id, type, queue, state, priority, payload, result, last_error, attempts, max_attempts,
          created_at, run_at, deadline, timeout_ms, started_at, finished_at, idempotency_key,
          fingerprint, progress, lease_owner, lease_token, lease_until, cancel_requested)
  SELECT id, type, queue, (:kinds::text[])[i], priority, payload,
         coalesce((:results::text[])[i], result), coalesce((:errors::text[])[i], last_error),
         attempts, max_attempts, created_at, run_at, deadline, timeout_ms, started_at,
         (timestamptz 'epoch' + (:ats::bigint[])[i] * interval '1 ms'), idempotency_key,
         fingerprint, progress, NULL,
         lease_token, NULL, cancel_requested
    FROM finished
  RETURNING id
),
requeued AS (
  UPDATE {schema}.spindle_task t
     SET state = 'READY',
         run_at = timestamptz 'epoch'
                  + (:requeue_ats::bigint[])[width_bucket(t.id, :requeue_ids::bigint[])]
                    * interval '1 ms',
         last_error = coalesce(
             (:requeue_errors::text[])[width_bucket(t.id, :requeue_ids::bigint[])], t.last_error),
         attempts = t.attempts
                    - CASE WHEN (:requeue_released::boolean[])[width_bucket(t.id, :requeue_ids::bigint[])]
                           THEN 1 ELSE 0 END,
         lease_owner = NULL, lease_until = NULL
   WHERE t.id = ANY (:requeue_ids::bigint[]) AND t.state = 'RUNNING'
     AND t.lease_token = (:requeue_tokens::bigint[])[width_bucket(t.id, :requeue_ids::bigint[])]
  RETURNING t.id
)
SELECT id FROM archived
UNION ALL
SELECT id FROM requeued

-- Extends the leases the worker still holds; returns them with their cancel flag. The caller
-- reports every other lease of the request lost. :ids is sorted (see complete).
-- name: heartbeat
-- plan: once, on indexes
UPDATE {schema}.spindle_task t
   SET lease_until = (timestamptz 'epoch' + :lease_until * interval '1 ms'),
       progress = coalesce((:progress::text[])[width_bucket(t.id, :ids::bigint[])], t.progress)
 WHERE t.id = ANY (:ids::bigint[]) AND t.state = 'RUNNING' AND t.lease_owner = :worker
   AND t.lease_token = (:tokens::bigint[])[width_bucket(t.id, :ids::bigint[])]
RETURNING t.id, t.cancel_requested

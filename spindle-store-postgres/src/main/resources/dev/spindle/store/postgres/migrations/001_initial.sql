-- Tasks live in two tables with the same columns. spindle_task is the hot table: WAITING, READY
-- and RUNNING tasks only, so every index the claim path walks stays as small as the backlog.
-- A task that reaches a final state moves to spindle_task_done in the statement that finishes it
-- (DELETE ... RETURNING feeding an INSERT), and comes back only through a manual retry.
-- SCHEDULED is never stored: it is READY with run_at in the future.

CREATE SEQUENCE {schema}.spindle_task_id_seq;

-- Lease tokens: nextval is strictly increasing across every node sharing the database.
CREATE SEQUENCE {schema}.spindle_lease_token_seq;

CREATE TABLE {schema}.spindle_task (
  id               bigint      PRIMARY KEY,
  type             text        NOT NULL,
  queue            text        NOT NULL,
  state            text        NOT NULL CHECK (state IN ('WAITING', 'READY', 'RUNNING')),
  priority         integer     NOT NULL,
  payload          text        NOT NULL,
  result           text,
  last_error       text,
  attempts         integer     NOT NULL DEFAULT 0,
  max_attempts     integer     NOT NULL,
  created_at       timestamptz NOT NULL,
  run_at           timestamptz NOT NULL,
  deadline         timestamptz,
  timeout_ms       bigint      NOT NULL,
  started_at       timestamptz,
  finished_at      timestamptz,
  idempotency_key  text,
  fingerprint      text        NOT NULL,
  progress         text,
  lease_owner      text,
  lease_token      bigint,
  lease_until      timestamptz,
  cancel_requested boolean     NOT NULL DEFAULT false
);

-- Every task passes through this table (insert, claim, delete), so dead rows pile up fast:
-- vacuum it after a few thousand changes instead of after 20% of a table that is small anyway.
ALTER TABLE {schema}.spindle_task SET (
  autovacuum_vacuum_scale_factor = 0.0,
  autovacuum_vacuum_threshold = 5000,
  autovacuum_vacuum_insert_scale_factor = 0.0,
  autovacuum_vacuum_insert_threshold = 5000,
  autovacuum_analyze_scale_factor = 0.0,
  autovacuum_analyze_threshold = 5000
);

-- Claim: walks the due READY rows of one queue in claim order, without a sort.
CREATE INDEX spindle_task_ready ON {schema}.spindle_task (queue, priority DESC, run_at, id)
  WHERE state = 'READY';

-- Claim: finds the queue's READY rows past their deadline, to expire them first.
CREATE INDEX spindle_task_ready_deadline ON {schema}.spindle_task (queue, deadline)
  WHERE state = 'READY' AND deadline IS NOT NULL;

-- Maintenance: finds waiting tasks of any queue past their deadline.
CREATE INDEX spindle_task_deadline ON {schema}.spindle_task (deadline)
  WHERE state IN ('READY', 'WAITING') AND deadline IS NOT NULL;

-- Rescue: finds expired leases. lease_until is set exactly while a task is RUNNING; the predicate
-- does not name the state on purpose. Statistics of a queue table are always stale, and with
-- "WHERE state = 'RUNNING'" the planner, believing no task runs, would pick this index to find
-- tasks by id for complete and heartbeat, and then compare every running task with every outcome.
CREATE INDEX spindle_task_lease ON {schema}.spindle_task (lease_until)
  WHERE lease_until IS NOT NULL;

-- Promotion walks only the waiting rows.
CREATE INDEX spindle_task_waiting ON {schema}.spindle_task (id)
  WHERE state = 'WAITING';

-- Finished tasks: SUCCEEDED, DEAD, CANCELLED, EXPIRED. Written once, read by id, purged by age.
CREATE TABLE {schema}.spindle_task_done (
  id               bigint      PRIMARY KEY,
  type             text        NOT NULL,
  queue            text        NOT NULL,
  state            text        NOT NULL CHECK (state IN ('SUCCEEDED', 'DEAD', 'CANCELLED', 'EXPIRED')),
  priority         integer     NOT NULL,
  payload          text        NOT NULL,
  result           text,
  last_error       text,
  attempts         integer     NOT NULL,
  max_attempts     integer     NOT NULL,
  created_at       timestamptz NOT NULL,
  run_at           timestamptz NOT NULL,
  deadline         timestamptz,
  timeout_ms       bigint      NOT NULL,
  started_at       timestamptz,
  finished_at      timestamptz NOT NULL,
  idempotency_key  text,
  fingerprint      text        NOT NULL,
  progress         text,
  lease_owner      text,
  lease_token      bigint,
  lease_until      timestamptz,
  cancel_requested boolean     NOT NULL
);

-- Analyzed often while it grows, so plans made when it was small (a scan is cheapest then) are
-- replaced by index plans before the table is large.
ALTER TABLE {schema}.spindle_task_done SET (
  autovacuum_analyze_scale_factor = 0.02,
  autovacuum_vacuum_insert_scale_factor = 0.02
);

-- Purge: finds old finished rows that may be deleted (DEAD ones stay for inspection).
CREATE INDEX spindle_task_done_purge ON {schema}.spindle_task_done (finished_at)
  WHERE state <> 'DEAD';

-- Idempotency keys are enforced by this primary key, across both task tables. A key stays taken
-- until its task is purged.
CREATE TABLE {schema}.spindle_idempotency_key (
  key         text   PRIMARY KEY,
  task_id     bigint NOT NULL,
  fingerprint text   NOT NULL
);

-- Task dependencies: a child is WAITING until none of its parents is in the hot table.
CREATE TABLE {schema}.spindle_task_dep (
  child  bigint NOT NULL,
  parent bigint NOT NULL,
  PRIMARY KEY (child, parent)
);

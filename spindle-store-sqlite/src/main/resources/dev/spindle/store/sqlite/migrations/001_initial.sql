-- The one task table. Times are epoch milliseconds. SCHEDULED is never stored: it is READY with
-- run_at in the future.
CREATE TABLE spindle_task (
  id               INTEGER PRIMARY KEY,
  type             TEXT    NOT NULL,
  queue            TEXT    NOT NULL,
  state            TEXT    NOT NULL,
  priority         INTEGER NOT NULL,
  payload          TEXT    NOT NULL,
  result           TEXT,
  last_error       TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  run_at           INTEGER NOT NULL,
  deadline         INTEGER,
  timeout_ms       INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER,
  idempotency_key  TEXT,
  fingerprint      TEXT    NOT NULL,
  progress         TEXT,
  lease_owner      TEXT,
  lease_token      INTEGER,
  lease_until      INTEGER,
  cancel_requested INTEGER NOT NULL DEFAULT 0
);

-- Claim: walks due READY rows of one queue in claim order without a sort.
CREATE INDEX spindle_task_ready ON spindle_task (queue, priority DESC, run_at, id)
  WHERE state = 'READY';

-- Rescue: finds expired leases.
CREATE INDEX spindle_task_lease ON spindle_task (lease_until)
  WHERE state = 'RUNNING';

-- Idempotency is enforced by this constraint; the writer's lookup only produces the friendly answer.
CREATE UNIQUE INDEX spindle_task_idempotency ON spindle_task (idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- Expiry: finds waiting tasks past their deadline.
CREATE INDEX spindle_task_deadline ON spindle_task (deadline)
  WHERE state = 'READY' AND deadline IS NOT NULL;

-- Purge: finds old finished rows that may be deleted.
CREATE INDEX spindle_task_purge ON spindle_task (finished_at)
  WHERE state IN ('SUCCEEDED', 'CANCELLED', 'EXPIRED');

-- Counters that must survive restarts. lease_token is the high-water mark of lease tokens.
CREATE TABLE spindle_meta (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO spindle_meta (name, value) VALUES ('lease_token', 0);

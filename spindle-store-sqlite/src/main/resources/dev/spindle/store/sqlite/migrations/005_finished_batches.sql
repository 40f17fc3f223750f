-- The purge finds finished rows through one row per commit that lists the ids it finished, instead
-- of an index of finished rows (spindle_task_finished): that index took an entry at every
-- completion, a tenth of SQLite's work per task (valgrind: 62,314 instructions per task in
-- sqlite3_step with it). finished_at is the latest finish time among the ids; the purge checks
-- every row's own state and finish time before deleting it, so an id whose task was retried since
-- is skipped there, and listed again by the commit that finishes it anew.
CREATE TABLE spindle_finished (
  finished_at INTEGER NOT NULL,
  ids         TEXT    NOT NULL
);

CREATE INDEX spindle_finished_at ON spindle_finished (finished_at);

INSERT INTO spindle_finished (finished_at, ids)
SELECT finished_at, json_group_array(id) FROM spindle_task
 WHERE finished_at IS NOT NULL AND state IN ('SUCCEEDED', 'CANCELLED', 'EXPIRED')
 GROUP BY finished_at;

DROP INDEX spindle_task_finished;

-- The claim walks the ready index in claim order and skips tasks past their deadline. The deadline
-- was not in the index, so every candidate cost a lookup of its table row before the claim's own
-- update looked it up again. With the deadline as the last column (after the unique id, so the
-- order is unchanged) the index covers the claim's search: SQLite reads the row once, to update it.
DROP INDEX spindle_task_ready;

CREATE INDEX spindle_task_ready ON spindle_task (queue, priority DESC, run_at, id, deadline)
  WHERE state = 'READY';

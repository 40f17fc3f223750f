-- Task dependencies: a child waits (state WAITING) until every parent is final.
CREATE TABLE spindle_task_dep (
  child  INTEGER NOT NULL,
  parent INTEGER NOT NULL,
  PRIMARY KEY (child, parent)
) WITHOUT ROWID;

-- Promotion walks only the waiting rows.
CREATE INDEX spindle_task_waiting ON spindle_task (id) WHERE state = 'WAITING';

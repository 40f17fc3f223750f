-- Leases of RUNNING tasks are found through the writer's lease table (LeaseTable) instead: the
-- index gained an entry at every claim and lost it at every completion, about a tenth of SQLite's
-- work per task (valgrind: 69,336 instructions per task in sqlite3_step with it, 62,326 without).
DROP INDEX spindle_task_lease;

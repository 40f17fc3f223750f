-- Claims skip READY tasks past their deadline and leave them to the maintainer's expire_overdue,
-- which finds them through spindle_task_deadline. Nothing reads this index any more; dropping it
-- saves its upkeep on every task that has a deadline.
DROP INDEX IF EXISTS {schema}.spindle_task_ready_deadline;

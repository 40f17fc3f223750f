-- Reads. Both task tables are read in one statement, so a task that moves from one to the other
-- concurrently is seen exactly once (one snapshot per statement).

-- name: get_by_ids
-- plan: every execution
SELECT t.*,
       (SELECT array_agg(d.parent ORDER BY d.parent) FROM {schema}.spindle_task_dep d
         WHERE d.child = t.id) AS depends_on
  FROM (SELECT id, type, queue, state, priority, payload, result, last_error, attempts,
               max_attempts, created_at, run_at, deadline, started_at, finished_at,
               idempotency_key, progress, lease_owner, cancel_requested
          FROM {schema}.spindle_task WHERE id = ANY(:ids::bigint[])
        UNION ALL
        SELECT id, type, queue, state, priority, payload, result, last_error, attempts,
               max_attempts, created_at, run_at, deadline, started_at, finished_at,
               idempotency_key, progress, lease_owner, cancel_requested
          FROM {schema}.spindle_task_done WHERE id = ANY(:ids::bigint[])) t

-- Newest first, from both tables merged by id. :after is the cursor (Long.MAX_VALUE on the first
-- page). Stored READY splits into SCHEDULED (:scheduled true) and READY around :split_at; a null
-- :split_at disables the split. Ask for one row more than the page to learn if another follows.
-- name: list
-- plan: every execution
SELECT t.*,
       (SELECT array_agg(d.parent ORDER BY d.parent) FROM {schema}.spindle_task_dep d
         WHERE d.child = t.id) AS depends_on
  FROM ((SELECT id, type, queue, state, priority, payload, result, last_error, attempts,
                max_attempts, created_at, run_at, deadline, started_at, finished_at,
                idempotency_key, progress, lease_owner, cancel_requested
           FROM {schema}.spindle_task
          WHERE id < :after::bigint
            AND (:queue::text IS NULL OR queue = :queue::text)
            AND (:state::text IS NULL OR state = :state::text)
            AND (:type::text IS NULL OR type = :type::text)
            AND (:split_at::bigint IS NULL
                 OR (run_at > (timestamptz 'epoch' + :split_at::bigint * interval '1 ms'))
                    = :scheduled::boolean)
          ORDER BY id DESC
          LIMIT :limit)
        UNION ALL
        (SELECT id, type, queue, state, priority, payload, result, last_error, attempts,
                max_attempts, created_at, run_at, deadline, started_at, finished_at,
                idempotency_key, progress, lease_owner, cancel_requested
           FROM {schema}.spindle_task_done
          WHERE id < :after::bigint
            AND (:queue::text IS NULL OR queue = :queue::text)
            AND (:state::text IS NULL OR state = :state::text)
            AND (:type::text IS NULL OR type = :type::text)
          ORDER BY id DESC
          LIMIT :limit)) t
 ORDER BY t.id DESC
 LIMIT :limit

-- name: stats
SELECT queue, shown, count(*) AS n
  FROM (SELECT queue,
               CASE WHEN state = 'READY' AND run_at > (timestamptz 'epoch' + :now * interval '1 ms')
                    THEN 'SCHEDULED' ELSE state END AS shown
          FROM {schema}.spindle_task) hot
 GROUP BY queue, shown
UNION ALL
SELECT queue, state, count(*) FROM {schema}.spindle_task_done GROUP BY queue, state
 ORDER BY 1

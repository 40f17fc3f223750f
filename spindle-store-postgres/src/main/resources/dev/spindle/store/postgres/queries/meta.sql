-- Locks and bookkeeping. Advisory locks use the two-int key space: a fixed class for Spindle and
-- a hash of the lock's name (which includes the schema), so stores in different schemas of one
-- database never share a lock.

-- Held for the rest of the transaction; nodes starting together migrate one after the other.
-- name: lock_migrations
SELECT pg_advisory_xact_lock(:lock_class::int, hashtext(:lock_name::text))

-- Held by the maintenance leader's session until it ends or its connection drops.
-- name: try_lead_maintenance
SELECT pg_try_advisory_lock(:lock_class::int, hashtext(:lock_name::text))

-- name: schema_exists
SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = :schema::text)

-- name: version_table_exists
SELECT to_regclass(:table::text) IS NOT NULL

-- name: create_version_table
CREATE TABLE IF NOT EXISTS {schema}.spindle_schema_version (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)

-- name: current_version
SELECT coalesce(max(version), 0) FROM {schema}.spindle_schema_version

-- name: record_version
INSERT INTO {schema}.spindle_schema_version (version, name) VALUES (:version, :name)

-- name: backend_pid
SELECT pg_backend_pid()

-- name: server_version
SELECT current_setting('server_version_num')::int

-- {channel} is the store's notification channel, quoted: LISTEN takes a name, not a parameter.
-- name: listen
LISTEN {channel}

-- Before a connection borrowed from a caller's DataSource goes back to its pool.
-- name: unlisten
UNLISTEN *

-- name: create_schema
CREATE SCHEMA IF NOT EXISTS {schema}

-- Before a connection borrowed from a caller's DataSource goes back to its pool.
-- name: release_maintenance
SELECT pg_advisory_unlock(:lock_class::int, hashtext(:lock_name::text))

package dev.spindle.store.postgres;

import java.util.regex.Pattern;

/**
 * The PostgreSQL schema that holds one store's tables, and the names derived from it: the
 * notification channel and the advisory lock names. Many stores (one per schema) can share a
 * database without seeing each other.
 */
record StoreSchema(String name) {
  /** Longest schema name; leaves room for the channel name within PostgreSQL's 63 bytes. */
  static final int MAX_LENGTH = 48;

  private static final Pattern VALID = Pattern.compile("[a-z_][a-z0-9_]*");

  /** Advisory lock class of every Spindle lock ("SPND"); the second key hashes the lock name. */
  static final int LOCK_CLASS = 0x53504E44;

  StoreSchema {
    String problem = problem(name);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Why {@code name} cannot be a store schema, or null if it can. */
  static String problem(String name) {
    if (name == null
        || name.isEmpty()
        || name.length() > MAX_LENGTH
        || !VALID.matcher(name).matches()
        || name.startsWith("pg_")) {
      return "schema name '"
          + name
          + "' is not valid: use 1 to "
          + MAX_LENGTH
          + " lowercase letters, digits and underscores, starting with a letter or underscore"
          + " (and not with pg_, which PostgreSQL reserves)";
    }
    return null;
  }

  /** The name as a quoted identifier, safe to put into SQL text. */
  String quoted() {
    return '"' + name + '"';
  }

  /** The LISTEN/NOTIFY channel on which enqueues announce queues with due tasks. */
  String channel() {
    return "spindle_" + name;
  }

  String migrationLock() {
    return "spindle-migrate:" + name;
  }

  String maintenanceLock() {
    return "spindle-maintenance:" + name;
  }
}

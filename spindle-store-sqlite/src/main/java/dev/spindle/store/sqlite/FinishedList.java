package dev.spindle.store.sqlite;

import java.util.ArrayList;
import java.util.List;

/**
 * The ids of tasks that the current transaction made final and purgeable (SUCCEEDED, CANCELLED,
 * EXPIRED), saved as one row of {@code spindle_finished} just before COMMIT; touched by the writer
 * thread only.
 *
 * <p>Why: the purge used to walk an index of finished rows, which took an entry at every
 * completion. One row per commit costs a b-tree entry per commit instead of per task (see migration
 * 005).
 */
final class FinishedList {
  private final List<Long> ids = new ArrayList<>();
  private final List<Long> finishedAt = new ArrayList<>();

  /** Records that the task became final at {@code at} (epoch milliseconds) in this transaction. */
  void add(long id, long at) {
    ids.add(id);
    finishedAt.add(at);
  }

  boolean isEmpty() {
    return ids.isEmpty();
  }

  /** The latest finish time listed: the list is purged once that is before the cutoff. */
  long latest() {
    long latest = Long.MIN_VALUE;
    for (long at : finishedAt) {
      latest = Math.max(latest, at);
    }
    return latest;
  }

  /** The ids as a JSON array, the form {@code spindle_finished.ids} keeps them in. */
  String json() {
    return TaskRows.jsonArray(ids);
  }

  /** A mark to roll back to, taken before an op that runs under a savepoint. */
  int mark() {
    return ids.size();
  }

  /** The op since {@code mark} rolled back to its savepoint: what it finished is not final. */
  void rollBackTo(int mark) {
    ids.subList(mark, ids.size()).clear();
    finishedAt.subList(mark, finishedAt.size()).clear();
  }

  /** The transaction committed or rolled back: the next one starts an empty list. */
  void clear() {
    ids.clear();
    finishedAt.clear();
  }
}

package dev.spindle.store.sqlite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leases of RUNNING tasks, kept in the writer's memory instead of in an index of the task
 * table; touched by the writer thread only.
 *
 * <p>Why: an index of RUNNING rows by lease expiry gains an entry at every claim and loses it at
 * every completion, about a tenth of SQLite's work per task (valgrind, instructions in {@code
 * sqlite3_step}). The exclusive file lock means every lease of the file was granted by this store
 * or by a process that is gone, so the table is filled from the file once on open and then kept by
 * the writer's own claims and completions.
 *
 * <p>The table only nominates candidates for rescue; the row decides. A candidate's expiry may be
 * early (a heartbeat extended the lease, which the table does not follow) or the candidate may be
 * stale (its claim was rolled back): {@link RescueWrite} reads the row before acting and mends the
 * entry. What the table must never do is miss a RUNNING task, so an entry is added as soon as a
 * claim runs and removed only once the completion that ended it has committed.
 */
final class LeaseTable {
  /** A lease as granted: the expiry is that of the claim, a lower bound of the current one. */
  record Lease(long id, long token, long until) {}

  private static final Comparator<Lease> EXPIRY_ORDER =
      Comparator.comparingLong(Lease::until).thenComparingLong(Lease::id);

  private final Map<Long, Lease> leases = new HashMap<>();
  private final List<Lease> endedInTransaction = new ArrayList<>();

  /**
   * Records a lease granted by a claim, found on open, or read from the row of a rescue candidate
   * that turned out to be still leased.
   */
  void granted(long id, long token, long until) {
    leases.put(id, new Lease(id, token, until));
  }

  /** Records that the lease with this token ended, to forget once the transaction commits. */
  void ended(long id, long token) {
    endedInTransaction.add(new Lease(id, token, 0));
  }

  /** Forgets a candidate whose row is not RUNNING under this token any more. */
  void forget(long id, long token) {
    Lease lease = leases.get(id);
    if (lease != null && lease.token() == token) {
      leases.remove(id);
    }
  }

  /** Leases that may have expired before {@code now}, earliest first, at most {@code limit}. */
  List<Lease> expiredBefore(long now, int limit) {
    List<Lease> expired = new ArrayList<>();
    for (Lease lease : leases.values()) {
      if (lease.until() < now) {
        expired.add(lease);
      }
    }
    expired.sort(EXPIRY_ORDER);
    return expired.size() <= limit ? expired : expired.subList(0, limit);
  }

  /** The transaction committed: the leases it ended are gone for good. */
  void committed() {
    for (Lease lease : endedInTransaction) {
      forget(lease.id(), lease.token());
    }
    endedInTransaction.clear();
  }

  /** The transaction rolled back: the leases it ended still hold. */
  void rolledBack() {
    endedInTransaction.clear();
  }

  /** A mark to roll back to, taken before an op that runs under a savepoint. */
  int mark() {
    return endedInTransaction.size();
  }

  /** The op since {@code mark} rolled back to its savepoint: the leases it ended still hold. */
  void rollBackTo(int mark) {
    endedInTransaction.subList(mark, endedInTransaction.size()).clear();
  }

  /** Leases held now; for tests. */
  int size() {
    return leases.size();
  }
}

package dev.spindle.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts this worker holds a lease for, from claim until the store has accepted their
 * outcome, so that heartbeats keep every lease alive until its outcome is durable.
 */
final class ActiveAttempts {
  private final ConcurrentHashMap<Long, Attempt> byId = new ConcurrentHashMap<>();

  /**
   * Tracks the attempt and returns the one it displaced: an earlier attempt of the same task on
   * this worker, whose lease the store has already taken back (it only hands a task out again
   * then).
   */
  Optional<Attempt> add(Attempt a) {
    return Optional.ofNullable(byId.put(a.task.id(), a));
  }

  void remove(Attempt a) {
    byId.remove(a.task.id(), a);
  }

  Optional<Attempt> find(long taskId) {
    return Optional.ofNullable(byId.get(taskId));
  }

  List<Attempt> snapshot() {
    return new ArrayList<>(byId.values());
  }

  int size() {
    return byId.size();
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }
}

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

  void add(Attempt a) {
    byId.put(a.task.id(), a);
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

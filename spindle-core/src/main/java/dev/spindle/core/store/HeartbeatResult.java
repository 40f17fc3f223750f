package dev.spindle.core.store;

import java.util.List;

/**
 * @param lost ids whose lease is no longer held under the given token: the worker must stop them
 *     and must not report an outcome
 * @param cancelRequested ids still held whose cancellation was requested
 */
public record HeartbeatResult(List<Long> lost, List<Long> cancelRequested) {
  public HeartbeatResult {
    lost = List.copyOf(lost);
    cancelRequested = List.copyOf(cancelRequested);
  }
}

package dev.spindle.core.store;

import java.util.List;

/** Tasks whose lease expired: put back to READY, or DEAD when that was their last attempt. */
public record RescueResult(List<Long> requeued, List<Long> dead) {
  public RescueResult {
    requeued = List.copyOf(requeued);
    dead = List.copyOf(dead);
  }

  public int total() {
    return requeued.size() + dead.size();
  }
}

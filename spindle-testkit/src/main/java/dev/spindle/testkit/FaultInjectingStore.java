package dev.spindle.testkit;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.StoreException;
import dev.spindle.core.store.TaskStore;
import java.util.List;

/**
 * A real store with a switch that makes the worker-side calls (claim, heartbeat, complete) fail as
 * if the database could not be reached. Reads and operator calls still go through, so a test can
 * watch what the engine does while cut off.
 */
public final class FaultInjectingStore extends ForwardingTaskStore {
  private volatile boolean unreachable;

  public FaultInjectingStore(TaskStore delegate) {
    super(delegate);
  }

  public void unreachable(boolean on) {
    this.unreachable = on;
  }

  private void check(String call) {
    if (unreachable) {
      throw new StoreException(call + " failed: store unreachable (injected fault)");
    }
  }

  @Override
  public List<ClaimedTask> claim(ClaimRequest request) {
    check("claim");
    return delegate.claim(request);
  }

  @Override
  public List<Long> complete(List<Outcome> outcomes) {
    check("complete");
    return delegate.complete(outcomes);
  }

  @Override
  public HeartbeatResult heartbeat(HeartbeatRequest request) {
    check("heartbeat");
    return delegate.heartbeat(request);
  }
}

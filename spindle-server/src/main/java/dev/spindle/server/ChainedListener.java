package dev.spindle.server;

import dev.spindle.core.SpindleListener;
import java.time.Duration;

/** Passes every engine event to the server's metrics, then to the application's listener. */
final class ChainedListener implements SpindleListener {
  private final SpindleListener first;
  private final SpindleListener second;

  ChainedListener(SpindleListener first, SpindleListener second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public void submitted(String queue, String type, int created) {
    first.submitted(queue, type, created);
    second.submitted(queue, type, created);
  }

  @Override
  public void attemptStarted(String queue, String type, long taskId, Duration waited) {
    first.attemptStarted(queue, type, taskId, waited);
    second.attemptStarted(queue, type, taskId, waited);
  }

  @Override
  public void attemptFinished(
      String queue, String type, long taskId, AttemptResult result, Duration ran) {
    first.attemptFinished(queue, type, taskId, result, ran);
    second.attemptFinished(queue, type, taskId, result, ran);
  }

  @Override
  public void leaseLost(long taskId) {
    first.leaseLost(taskId);
    second.leaseLost(taskId);
  }

  @Override
  public void rescued(int requeued, int dead) {
    first.rescued(requeued, dead);
    second.rescued(requeued, dead);
  }

  @Override
  public void claimed(String queue, int requested, int received) {
    first.claimed(queue, requested, received);
    second.claimed(queue, requested, received);
  }
}

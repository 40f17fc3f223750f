package dev.spindle.store.postgres;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition another thread or process makes true; fails with what was awaited. */
final class Wait {
  private Wait() {}

  static void until(String what, Duration max, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + max + " for " + what + " in vain");
      }
      Thread.sleep(2);
    }
  }
}

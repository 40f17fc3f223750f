package dev.spindle.core.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Wakes one waiting loop early; a wake with nobody waiting is remembered until the next wait. */
final class WakeSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private boolean pending;

  void wake() {
    lock.lock();
    try {
      pending = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until woken or the time passes; returns immediately if a wake is pending. */
  void await(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (!pending && left > 0) {
        left = woken.awaitNanos(left);
      }
      pending = false;
    } finally {
      lock.unlock();
    }
  }

  void await(long amount, TimeUnit unit) throws InterruptedException {
    await(unit.toNanos(amount));
  }
}

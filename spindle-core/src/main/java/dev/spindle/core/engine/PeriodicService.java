package dev.spindle.core.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop that runs {@link #runOnce()} every interval on its own thread. Start and stop
 * are idempotent and safe in any order; {@link #runOnce()} may also be called directly (tests,
 * operators) and then runs on the caller's thread.
 */
abstract class PeriodicService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeriodicService.class);

  private final String name;
  private final Duration interval;
  private final WakeSignal signal = new WakeSignal();
  private final AtomicReference<Thread> thread = new AtomicReference<>();
  private volatile boolean stopping;

  PeriodicService(String name, Duration interval) {
    this.name = name;
    this.interval = interval;
  }

  /** One round of work. Exceptions are logged and the loop goes on. */
  abstract void runOnce();

  final void start() {
    if (stopping) {
      return;
    }
    Thread t = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    if (thread.compareAndSet(null, t)) {
      t.start();
    }
  }

  final void wake() {
    signal.wake();
  }

  private void loop() {
    while (!stopping) {
      try {
        signal.await(interval.toNanos());
        if (stopping) {
          return;
        }
        runOnce();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("{} failed; retrying in {}", name, interval, e);
      }
    }
  }

  @Override
  public final void close() {
    stopping = true;
    Thread t = thread.get();
    if (t != null) {
      signal.wake();
      try {
        t.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

package dev.spindle.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on the store's channel and tells subscribers which queues got due tasks, so idle nodes
 * claim within milliseconds of a submit made elsewhere instead of at their next poll.
 *
 * <p>Notifications are already one per queue per transaction (PostgreSQL drops repeats of a payload
 * within a transaction). The listener coalesces further: it drains everything that has arrived,
 * then calls each subscriber once per distinct queue. If the connection drops it reconnects with
 * backoff; whatever was announced meanwhile is found by polling.
 *
 * <p>Started by the first subscription, so a store nobody subscribes to holds no extra connection.
 */
final class QueueWakeListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueWakeListener.class);
  private static final int WAIT_MILLIS = 500;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /**
   * A host that vanishes without closing the socket looks like a quiet channel; after this long
   * without a notification the connection is checked with a round trip.
   */
  private static final long CHECK_AFTER_QUIET_NANOS = Duration.ofSeconds(30).toNanos();

  private static final int CHECK_TIMEOUT_SECONDS = 5;

  private final ConnectionSource connections;
  private final PostgresQueries queries;
  private final StoreSchema schema;
  private final CopyOnWriteArrayList<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
  private final CountDownLatch listening = new CountDownLatch(1);
  private Thread thread;
  private volatile boolean closed;

  QueueWakeListener(ConnectionSource connections, PostgresQueries queries, StoreSchema schema) {
    this.connections = connections;
    this.queries = queries;
    this.schema = schema;
  }

  /** Adds a subscriber; the returned handle removes it. */
  synchronized Runnable subscribe(Consumer<String> subscriber) {
    subscribers.add(subscriber);
    if (thread == null && !closed) {
      thread =
          Thread.ofPlatform()
              .daemon()
              .name("spindle-listen-" + schema.name())
              .unstarted(this::loop);
      thread.start();
    }
    return () -> subscribers.remove(subscriber);
  }

  /** Waits until LISTEN is in effect; for tests that must not race the first notification. */
  boolean awaitListening(Duration max) throws InterruptedException {
    return listening.await(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void loop() {
    Connection connection = null;
    long backoffMillis = 100;
    long lastHeard = System.nanoTime();
    while (!closed) {
      try {
        if (connection == null) {
          connection = connections.dedicated("spindle-listen");
          execute(connection, "listen");
          listening.countDown();
          backoffMillis = 100;
          lastHeard = System.nanoTime();
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        PGNotification[] arrived = pg.getNotifications(WAIT_MILLIS);
        if (arrived != null && arrived.length > 0) {
          Set<String> queues = new LinkedHashSet<>();
          do {
            for (PGNotification n : arrived) {
              queues.add(n.getParameter());
            }
            arrived = pg.getNotifications(); // only what has arrived already: never blocks
          } while (arrived != null && arrived.length > 0);
          deliver(queues);
          lastHeard = System.nanoTime();
        } else if (System.nanoTime() - lastHeard > CHECK_AFTER_QUIET_NANOS) {
          if (!connection.isValid(CHECK_TIMEOUT_SECONDS)) {
            throw new SQLException("the listening connection stopped answering");
          }
          lastHeard = System.nanoTime();
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        log.warn(
            "listening for new tasks of schema '{}' failed ({}); retrying in {} ms, polling"
                + " meanwhile",
            schema.name(),
            e.getMessage(),
            backoffMillis);
        ConnectionSource.closeQuietly(connection); // broken: UNLISTEN could hang on it
        connection = null;
        sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
      }
    }
    release(connection);
  }

  /**
   * Tells this store's subscribers about queues that got due tasks through a write of this store
   * that has committed, on the calling thread, without waiting for the notification to come back
   * from the database: a node's own submits wake its own dispatchers at once.
   */
  void deliverLocally(Set<String> queues) {
    if (!subscribers.isEmpty()) {
      deliver(queues);
    }
  }

  private void deliver(Set<String> queues) {
    for (String queue : queues) {
      for (Consumer<String> s : subscribers) {
        try {
          s.accept(queue);
        } catch (RuntimeException e) {
          log.warn("a subscriber to new tasks of queue '{}' failed", queue, e);
        }
      }
    }
  }

  private void execute(Connection connection, String query) throws SQLException {
    try (NamedSql.Bound st = queries.get(query).prepare(connection)) {
      st.statement().execute();
    }
  }

  private void release(Connection connection) {
    if (connection == null) {
      return;
    }
    // A connection from a caller's pool outlives close(): stop listening explicitly.
    try {
      execute(connection, "unlisten");
    } catch (SQLException e) {
      // The session is gone or going; its LISTEN ends with it.
    }
    ConnectionSource.closeQuietly(connection);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops listening; returns within about {@value #WAIT_MILLIS} ms. Idempotent. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = thread;
    }
    subscribers.clear();
    if (t != null) {
      try {
        t.join(Duration.ofMillis(WAIT_MILLIS * 4L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

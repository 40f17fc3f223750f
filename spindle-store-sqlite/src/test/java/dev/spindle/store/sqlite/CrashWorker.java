package dev.spindle.store.sqlite;

import dev.spindle.core.Spindle;
import dev.spindle.core.SpindleListener;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The child process of {@link CrashRecoveryTest}: runs "work" tasks from a SQLite file, writing
 * {@code start}, {@code end} and {@code committed} events to a log with one unbuffered write each,
 * so that what a SIGKILL leaves in the log is exactly what had happened. Exits 0 once no task is
 * left to run.
 */
public final class CrashWorker {
  private CrashWorker() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    String name = args[1];
    try (FileChannel log =
        FileChannel.open(
            Path.of(args[2]),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      SpindleListener committed =
          new SpindleListener() {
            @Override
            public void attemptFinished(
                String queue, String type, long taskId, AttemptResult result, Duration ran) {
              write(log, "committed " + name + " " + taskId + " " + result);
            }
          };
      try (Spindle spindle =
          Spindle.builder()
              .store(SqliteTaskStore.open(db))
              .workerId(name)
              .listener(committed)
              .leaseDuration(Duration.ofSeconds(2))
              .heartbeatInterval(Duration.ofMillis(500))
              .maintenanceInterval(Duration.ofMillis(250))
              .pollInterval(Duration.ofMillis(50))
              .queue("default", 8)
              .handler(
                  "work",
                  Integer.class,
                  (n, ctx) -> {
                    write(log, "start " + name + " " + ctx.taskId() + " " + ctx.attempt());
                    LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
                    write(log, "end " + name + " " + ctx.taskId() + " " + ctx.attempt());
                    return name + ":" + (n * 2); // the stored result names the run that committed
                  })
              .build()
              .start()) {
        while (!allDone(spindle)) {
          LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
      }
    }
  }

  private static boolean allDone(Spindle spindle) {
    for (QueueStats q : spindle.stats()) {
      for (TaskState s : TaskState.values()) {
        if (!s.isFinal() && q.count(s) > 0) {
          return false;
        }
      }
    }
    return true;
  }

  private static void write(FileChannel log, String line) {
    try {
      ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
      synchronized (log) {
        while (b.hasRemaining()) {
          log.write(b);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the crash log", e);
    }
  }
}

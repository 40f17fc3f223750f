package dev.spindle.server;

import dev.spindle.store.sqlite.SqliteTaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A server in its own JVM for the crash test: {@code ServerMain <db> <portFile> <concurrency>}.
 * Writes the bound port to the port file once it listens, then runs until killed.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    Path portFile = Path.of(args[1]);
    int concurrency = Integer.parseInt(args[2]);
    SpindleServer server =
        SpindleServer.builder()
            .port(0)
            .store(SqliteTaskStore.open(db))
            .queue("default", concurrency)
            .configure(
                b ->
                    b.pollInterval(Duration.ofMillis(50))
                        // Short leases so that tasks the killed JVM held come back quickly.
                        .leaseDuration(Duration.ofSeconds(2))
                        .maintenanceInterval(Duration.ofMillis(200)))
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()));
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    new CountDownLatch(1).await(); // until the test kills this JVM
  }
}

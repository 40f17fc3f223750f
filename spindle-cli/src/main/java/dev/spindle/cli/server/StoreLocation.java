package dev.spindle.cli.server;

import dev.spindle.core.store.TaskStore;
import dev.spindle.store.postgres.PostgresTaskStore;
import dev.spindle.store.sqlite.SqliteTaskStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where the server keeps its tasks, from {@code --data DIR} or {@code --store URL}. Every store
 * scheme is parsed in {@link #parse}: a new backend is one more case there and one more record.
 */
sealed interface StoreLocation {
  /** The SQLite file of a data directory. */
  String SQLITE_FILE = "spindle.db";

  /** Opens the store; the caller closes it (or hands it to the server, which does). */
  TaskStore open();

  /** For the startup line: the scheme and where. */
  String describe();

  static StoreLocation dataDir(Path dir) {
    return new Sqlite(dir.resolve(SQLITE_FILE));
  }

  /**
   * Parses a store URL.
   *
   * @throws IllegalArgumentException naming the accepted forms, for a URL that is none of them
   */
  static StoreLocation parse(String url) {
    String lower = url.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("sqlite:")) {
      String path = url.substring("sqlite:".length());
      if (path.isBlank()) {
        throw new IllegalArgumentException("'" + url + "' names no file; use sqlite:PATH");
      }
      return new Sqlite(Path.of(path));
    }
    if (lower.startsWith("postgresql://")
        || lower.startsWith("postgres://")
        || lower.startsWith("jdbc:postgresql:")) {
      return new Postgres(url);
    }
    throw new IllegalArgumentException(
        "'"
            + url
            + "' is not a store URL; use sqlite:PATH, postgresql://USER@HOST:PORT/DB or"
            + " jdbc:postgresql://HOST:PORT/DB?user=USER");
  }

  /** The embedded store: one file, one process. */
  record Sqlite(Path file) implements StoreLocation {
    @Override
    public TaskStore open() {
      Path absolute = file.toAbsolutePath();
      try {
        Files.createDirectories(absolute.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the directory of " + absolute, e);
      }
      return SqliteTaskStore.open(absolute);
    }

    @Override
    public String describe() {
      return "sqlite:" + file.toAbsolutePath().normalize();
    }
  }

  /** The shared store: many nodes on one PostgreSQL database (schema {@code spindle}). */
  record Postgres(String url) implements StoreLocation {
    private static final Pattern PASSWORD =
        Pattern.compile("(//[^/@:]*):[^/@]*@|((?i)[?&;]password=)[^&;]*");

    @Override
    public TaskStore open() {
      return PostgresTaskStore.open(url);
    }

    @Override
    public String describe() {
      return PASSWORD
          .matcher(url)
          .replaceAll(m -> m.group(1) != null ? m.group(1) + ":***@" : m.group(2) + "***");
    }
  }
}

package dev.spindle.store.sqlite;

import dev.spindle.core.store.TaskStore;
import dev.spindle.testkit.engine.EngineContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The engine's guarantees hold over the SQLite store. */
class SqliteEngineTest extends EngineContract {
  @TempDir Path dir;

  @Override
  protected TaskStore createStore() {
    return SqliteTaskStore.open(dir.resolve("spindle.db"));
  }

  @Override
  protected TaskStore reopen(TaskStore closed) {
    return SqliteTaskStore.open(((SqliteTaskStore) closed).file());
  }
}

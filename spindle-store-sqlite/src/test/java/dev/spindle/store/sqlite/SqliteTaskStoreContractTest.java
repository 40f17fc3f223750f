package dev.spindle.store.sqlite;

import dev.spindle.core.store.TaskStore;
import dev.spindle.testkit.store.StoreContractSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store passes the whole store contract, each test on a fresh file. */
class SqliteTaskStoreContractTest extends StoreContractSuite {
  @TempDir Path dir;

  @Override
  protected boolean startsOnSubmit() {
    return true;
  }

  @Override
  protected TaskStore newStore() {
    return SqliteTaskStore.open(dir.resolve("spindle.db"));
  }
}

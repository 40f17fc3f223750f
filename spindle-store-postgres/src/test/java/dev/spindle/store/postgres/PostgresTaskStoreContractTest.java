package dev.spindle.store.postgres;

import dev.spindle.core.store.TaskStore;
import dev.spindle.testkit.store.StoreContractSuite;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL store passes the whole store contract, each test in a fresh schema. */
class PostgresTaskStoreContractTest extends StoreContractSuite {

  @Override
  protected boolean startsOnSubmit() {
    return true;
  }

  @Override
  protected TaskStore newStore() {
    return TestDatabase.openFresh();
  }

  /** Runs after each nested contract closed its store. */
  @AfterEach
  void dropSchemas() {
    TestDatabase.dropSchemas();
  }
}

package dev.spindle.store.postgres;

import dev.spindle.core.store.TaskStore;
import dev.spindle.testkit.engine.EngineContract;
import org.junit.jupiter.api.AfterAll;

/** The engine's guarantees hold over the PostgreSQL store. */
class PostgresEngineTest extends EngineContract {

  /** After every Spindle of the class is closed (they close in the contract's own teardown). */
  @AfterAll
  static void dropSchemas() {
    TestDatabase.dropSchemas();
  }

  @Override
  protected TaskStore createStore() {
    return TestDatabase.openFresh();
  }

  @Override
  protected TaskStore reopen(TaskStore closed) {
    return PostgresTaskStore.open(((PostgresTaskStore) closed).options());
  }
}

package dev.spindle.store.postgres;

import dev.spindle.core.store.TaskStore;
import dev.spindle.testkit.store.CancelRetryContract;
import dev.spindle.testkit.store.ClaimOrderingContract;
import dev.spindle.testkit.store.ConcurrencyContract;
import dev.spindle.testkit.store.DeadlineContract;
import dev.spindle.testkit.store.DependencyContract;
import dev.spindle.testkit.store.EnqueueContract;
import dev.spindle.testkit.store.LeaseContract;
import dev.spindle.testkit.store.ListStatsContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/** The PostgreSQL store passes the whole store contract, each test in a fresh schema. */
class PostgresTaskStoreContractTest {

  TaskStore newStore() {
    return TestDatabase.openFresh();
  }

  /** Runs after each nested contract closed its store. */
  @AfterEach
  void dropSchemas() {
    TestDatabase.dropSchemas();
  }

  @Nested
  class Enqueue extends EnqueueContract {
    @Override
    protected TaskStore createStore() {
      return newStore();
    }
  }

  @Nested
  class ClaimOrdering extends ClaimOrderingContract {
    @Override
    protected TaskStore createStore() {
      return newStore();
    }
  }

  @Nested
  class Lease extends LeaseContract {
    @Override
    protected TaskStore createStore() {
      return newStore();
    }
  }

  @Nested
  class Deadline extends DeadlineContract {
    @Override
    protected TaskStore createStore() {
      return newStore();
    }
  }

  @Nested
  class CancelRetry extends CancelRetryContract {
    @Override
    protected TaskStore createStore() {
      return newStore();
    }
  }

  @Nested
  class ListStats extends ListStatsContract {
    @Override
    protected TaskStore createStore() {
      return newStore();
    }
  }

  @Nested
  class Dependency extends DependencyContract {
    @Override
    protected TaskStore createStore() {
      return newStore();
    }
  }

  @Nested
  class Concurrency extends ConcurrencyContract {
    @Override
    protected TaskStore createStore() {
      return newStore();
    }
  }
}

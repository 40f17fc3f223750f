package dev.spindle.testkit.store;

import dev.spindle.core.store.TaskStore;
import org.junit.jupiter.api.Nested;

/**
 * The whole store contract in one class: a store passes it when a subclass implementing {@link
 * #newStore()} passes. Each nested contract opens a fresh store per test through {@link
 * #newStore()} and closes it afterwards.
 */
public abstract class StoreContractSuite {

  /** A new, empty store. */
  protected abstract TaskStore newStore();

  /** Whether the store leases new tasks on submit (see {@link StartOnSubmitContract}). */
  protected abstract boolean startsOnSubmit();

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

  @Nested
  class StartOnSubmit extends StartOnSubmitContract {
    @Override
    protected TaskStore createStore() {
      return newStore();
    }

    @Override
    protected boolean startsOnSubmit() {
      return StoreContractSuite.this.startsOnSubmit();
    }
  }
}

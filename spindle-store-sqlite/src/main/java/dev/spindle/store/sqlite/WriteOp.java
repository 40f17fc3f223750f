package dev.spindle.store.sqlite;

import java.sql.SQLException;

/**
 * One write call, run by the writer thread inside the group transaction under its own savepoint.
 * Throwing rolls back this op alone; its caller gets the exception.
 */
@FunctionalInterface
interface WriteOp<T> {
  T apply(WriterSession session) throws SQLException;

  /**
   * Whether the op makes no stored task READY other than tasks it inserts itself, and reports those
   * to {@link WriterSession#forgetDueProbes}; only such ops let later ops of the transaction reuse
   * an earlier due-task probe (see {@link WriterSession#knownNoDueTask}).
   */
  default boolean keepsDueProbes() {
    return false;
  }
}

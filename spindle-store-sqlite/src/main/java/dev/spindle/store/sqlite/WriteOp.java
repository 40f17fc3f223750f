package dev.spindle.store.sqlite;

import java.sql.SQLException;

/**
 * One write call, run by the writer thread inside the group transaction under its own savepoint.
 * Throwing rolls back this op alone; its caller gets the exception.
 */
@FunctionalInterface
interface WriteOp<T> {
  T apply(WriterSession session) throws SQLException;
}

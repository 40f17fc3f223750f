package dev.spindle.core;

/** Thrown by {@link TaskContext#throwIfCancelled()} once the running attempt must stop. */
public class TaskCancelledException extends RuntimeException {
  public TaskCancelledException(String message) {
    super(message);
  }
}

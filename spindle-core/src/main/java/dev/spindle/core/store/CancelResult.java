package dev.spindle.core.store;

/** What a cancel did to one task. */
public enum CancelResult {
  /** The task was waiting and is now CANCELLED. */
  CANCELLED,
  /** The task is running; its worker is asked to stop. */
  CANCEL_REQUESTED,
  /** The task had already finished; nothing changed. */
  ALREADY_FINISHED,
  NOT_FOUND
}

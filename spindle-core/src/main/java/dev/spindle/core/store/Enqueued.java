package dev.spindle.core.store;

/** The result of writing one task: its id, and false if an idempotency key matched a task. */
public record Enqueued(long id, boolean created) {}

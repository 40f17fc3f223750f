package dev.spindle.core;

/**
 * Adds task types to a Spindle instance from a plugin jar. The server finds implementations with
 * {@link java.util.ServiceLoader}: list the class in {@code
 * META-INF/services/dev.spindle.core.TaskTypeProvider} inside the jar and put the jar on the
 * server's handlers path.
 *
 * <p>Only the handlers a provider registers can run: stored data never names a class.
 */
public interface TaskTypeProvider {
  /** Registers handlers (and queues, if the types need their own) on the builder. */
  void register(SpindleBuilder builder);
}

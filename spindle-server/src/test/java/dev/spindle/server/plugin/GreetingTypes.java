package dev.spindle.server.plugin;

import dev.spindle.core.SpindleBuilder;
import dev.spindle.core.TaskTypeProvider;

/**
 * A plugin as a user would write it. Its service file is not on the test classpath: the test
 * packages this class with one into a jar and hands the jar to the server.
 */
public final class GreetingTypes implements TaskTypeProvider {
  public record Greeting(String name) {}

  @Override
  public void register(SpindleBuilder builder) {
    builder.handler("greet", Greeting.class, (g, ctx) -> "hello, " + g.name());
  }
}

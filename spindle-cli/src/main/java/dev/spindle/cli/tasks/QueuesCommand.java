package dev.spindle.cli.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.core.task.TaskState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spindle queues}: GET /v1/queues as a table. */
@Command(
    name = "queues",
    mixinStandardHelpOptions = true,
    description = {
      "Show every queue: tasks per state, tasks running on the server now (BUSY), and whether the"
          + " server runs (SERVED) or has paused it."
    })
public final class QueuesCommand implements Callable<Integer> {
  @Option(names = "--json", description = "print the server's JSON as it is")
  boolean json;

  @Mixin ServerUrl server;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JsonNode reply = server.client().queues();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(reply.toPrettyString());
      return ExitCode.OK;
    }
    TaskState[] states = TaskState.values();
    List<String> header = new ArrayList<>(List.of("QUEUE"));
    for (TaskState s : states) {
      header.add(s.name());
    }
    header.addAll(List.of("BUSY", "SERVED", "PAUSED"));
    Table table = new Table(header.size()).add(header.toArray(String[]::new));
    for (JsonNode q : reply.path("queues")) {
      List<String> row = new ArrayList<>(List.of(q.path("name").asText()));
      for (TaskState s : states) {
        row.add(q.path("counts").path(s.name()).asText("0"));
      }
      row.add(q.path("busy").asText("0"));
      row.add(q.path("served").asBoolean() ? "yes" : "no");
      row.add(q.path("paused").asBoolean() ? "yes" : "no");
      table.add(row.toArray(String[]::new));
    }
    table.print(out);
    return ExitCode.OK;
  }
}

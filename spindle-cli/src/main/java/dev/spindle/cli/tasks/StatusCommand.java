package dev.spindle.cli.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spindle status ID}: GET /v1/tasks/{id}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show one task: state, attempts, result, last error, progress and timestamps."
          + " Exit 1 if there is no such task."
    })
public final class StatusCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "the task id")
  long id;

  @Option(names = "--json", description = "print the server's JSON as it is")
  boolean json;

  @Mixin ServerUrl server;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JsonNode task = server.client().task(id);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(task.toPrettyString());
      return ExitCode.OK;
    }
    Table table = new Table(2);
    for (Map.Entry<String, JsonNode> field : task.properties()) {
      JsonNode v = field.getValue();
      if (!v.isNull() && !(v.isArray() && v.isEmpty())) {
        table.add(field.getKey(), v.isValueNode() ? v.asText() : v.toString());
      }
    }
    table.print(out);
    return ExitCode.OK;
  }
}

package dev.spindle.cli.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.core.task.TaskState;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spindle list}: GET /v1/tasks, one page, as a table. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List tasks, newest first, as a table. When there are more, the command for the next page"
          + " is printed to standard error."
    })
public final class ListCommand implements Callable<Integer> {
  private static final int ERROR_WIDTH = 60;

  @Option(names = "--queue", paramLabel = "NAME", description = "only tasks of this queue")
  String queue;

  @Option(
      names = "--state",
      paramLabel = "STATE",
      description = "only tasks in this state: ${COMPLETION-CANDIDATES}")
  TaskState state;

  @Option(names = "--type", paramLabel = "TYPE", description = "only tasks of this type")
  String type;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "at most N tasks (default: the server's page size)")
  Integer limit;

  @Option(
      names = "--cursor",
      paramLabel = "CURSOR",
      description = "continue where the previous page ended")
  String cursor;

  @Option(names = "--json", description = "print the server's JSON page as it is")
  boolean json;

  @Mixin ServerUrl server;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("queue", queue);
    query.put("state", state == null ? null : state.name());
    query.put("type", type);
    query.put("limit", limit == null ? null : limit.toString());
    query.put("cursor", cursor);
    JsonNode page = server.client().list(query);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(page.toPrettyString());
      return ExitCode.OK;
    }
    Table table = new Table(7).add("ID", "STATE", "TYPE", "QUEUE", "ATTEMPTS", "CREATED", "ERROR");
    for (JsonNode t : page.path("items")) {
      table.add(
          t.path("id").asText(),
          t.path("state").asText(),
          t.path("type").asText(),
          t.path("queue").asText(),
          t.path("attempts").asInt() + "/" + t.path("maxAttempts").asInt(),
          toSeconds(t.path("createdAt").asText()),
          firstLine(t.path("lastError").asText("")));
    }
    table.print(out);
    String next = page.path("nextCursor").asText("");
    if (!next.isEmpty()) {
      spec.commandLine().getErr().println("more: add --cursor " + next);
    }
    return ExitCode.OK;
  }

  private static String toSeconds(String instant) {
    try {
      return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return instant;
    }
  }

  private static String firstLine(String error) {
    String line = error.lines().findFirst().orElse("");
    return line.length() <= ERROR_WIDTH ? line : line.substring(0, ERROR_WIDTH - 1) + "…";
  }
}

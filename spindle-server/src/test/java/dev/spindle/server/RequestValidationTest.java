package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of malformed submit is refused with 400 (or 415) and a problem document that names the
 * field and what is allowed; nothing is written.
 */
class RequestValidationTest {
  @TempDir Path dir;
  SpindleServer server;
  Api api;

  @BeforeEach
  void start() {
    server = TestServers.start(dir);
    api = new Api(server.port());
  }

  /** Tasks a test meant to write; every other request must write nothing. */
  int accepted;

  @AfterEach
  void onlyAcceptedRequestsWrote() {
    try {
      assertThat(api.get("/v1/tasks").json().get("items")).as("tasks written").hasSize(accepted);
    } finally {
      server.close();
    }
  }

  private Api.Reply refused(String body, int status) {
    Api.Reply r = api.post("/v1/tasks", body);
    assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(status);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    assertThat(r.json().get("status").asInt()).isEqualTo(status);
    assertThat(r.json().get("type").asText()).startsWith("urn:spindle:problem:");
    assertThat(r.json().get("title").asText()).isNotBlank();
    return r;
  }

  @Test
  void invalidJsonSaysWhereItBroke() {
    Api.Reply r = refused("{\"type\": \"noop\",\n \"payload\": }", 400);

    assertThat(r.json().get("type").asText()).isEqualTo("urn:spindle:problem:malformed-json");
    assertThat(r.detail()).contains("not valid JSON").contains("line 2");
  }

  @Test
  void trailingContentAfterTheValueIsRefused() {
    assertThat(refused("{\"type\":\"noop\"} {\"type\":\"noop\"}", 400).detail())
        .contains("not valid JSON")
        .containsIgnoringCase("trailing");
  }

  @Test
  void duplicateFieldIsRefused() {
    assertThat(refused("{\"type\":\"noop\",\"type\":\"sleep\"}", 400).detail())
        .contains("Duplicate field 'type'");
  }

  @Test
  void emptyBodyIsRefused() {
    assertThat(refused("", 400).detail()).contains("empty");
    assertThat(refused("   ", 400).detail()).contains("empty");
  }

  @Test
  void bodyThatIsNoObjectIsRefused() {
    assertThat(refused("[{\"type\":\"noop\"}]", 400).detail())
        .contains("must be a task object")
        .contains("was an array");
  }

  @Test
  void unknownFieldIsNamedWithTheAllowedOnes() {
    Api.Reply r = refused("{\"type\":\"noop\",\"prio\":5}", 400);

    assertThat(r.json().get("field").asText()).isEqualTo("prio");
    assertThat(r.detail()).contains("prio is not a known field").contains("priority");
    assertThat(r.json().get("allowed").toString()).contains("\"idempotencyKey\"");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"type":5}                                 | type           | must be a string, was a number 5
          {"type":"noop","queue":["a"]}              | queue          | must be a string, was an array
          {"type":"noop","priority":"high"}          | priority       | whole number from -1000 to 1000, was a string "high"
          {"type":"noop","priority":1.5}             | priority       | whole number from -1000 to 1000, was 1.5
          {"type":"noop","priority":1e30}            | priority       | whole number from -1000 to 1000
          {"type":"noop","priority":99999999999999999999} | priority  | whole number from -1000 to 1000, was 99999999999999999999
          {"type":"noop","priority":-5000}           | priority       | must be between -1000 and 1000, was -5000
          {"type":"noop","maxAttempts":0}            | maxAttempts    | must be between 1 and 1000, was 0
          {"type":"noop","maxAttempts":-3}           | maxAttempts    | must be between 1 and 1000, was -3
          {"type":"noop","maxAttempts":true}         | maxAttempts    | was a boolean true
          {"type":"noop","runAt":1700000000}         | runAt          | ISO-8601 instant with a zone offset, like 2030-01-31T12:00:00Z
          {"type":"noop","runAt":"tomorrow"}         | runAt          | was 'tomorrow'
          {"type":"noop","runAt":"2030-13-01T00:00:00Z"} | runAt      | was '2030-13-01T00:00:00Z'
          {"type":"noop","runAt":"2030-01-01T00:00:00"}  | runAt      | with a zone offset
          {"type":"noop","deadline":"2001-01-01T00:00:00Z"} | deadline | is already past
          {"type":"noop","delay":"5s"}               | delay          | ISO-8601 duration like PT30S
          {"type":"noop","delay":"-PT5S"}            | delay          | must not be negative
          {"type":"noop","delay":"PT1H","runAt":"2030-01-01T00:00:00Z"} | delay | not both
          {"type":"noop","timeout":"PT48H"}          | timeout        | between 0 (the type's default) and 24 hours
          {"type":"noop","timeout":30}               | timeout        | ISO-8601 duration
          {"type":"noop","idempotencyKey":7}         | idempotencyKey | must be a string
          {"type":"noop","idempotencyKey":""}        | idempotencyKey | must be 1 to 255 characters
          {"type":"noop","dependsOn":5}              | dependsOn      | must be an array of task ids
          {"type":"noop","dependsOn":[-1]}           | dependsOn      | dependsOn[0] must be a task id (a positive whole number), was -1
          {"type":"noop","dependsOn":[1,1.5]}        | dependsOn      | dependsOn[1] must be a task id
          {"queue":"default"}                        | type           | type is required
          {"type":"sleep","payload":{"millis":1e12}} | payload.millis | whole number between 0 and 86400000
          {"type":"sleep","payload":{"ms":5}}        | payload.ms     | allowed fields are [millis]
          {"type":"sleep","payload":5}               | payload        | must be a JSON object like {"millis": 250}
          {"type":"sleep"}                           | payload        | must be a JSON object
          {"type":"http","payload":{"url":"ftp://example.com/x"}} | payload.url | must start with http:// or https://
          {"type":"http","payload":{}}               | payload.url    | is required
          {"type":"http","payload":{"url":"http://x","method":"FETCH"}} | payload.method | must be one of
          {"type":"http","payload":{"url":"http://x","headers":{"Host":"y"}}} | payload.headers.Host | set by the HTTP client itself
          {"type":"http","payload":{"url":"http://x","timeoutMillis":0}} | payload.timeoutMillis | between 1 and 600000
          """)
  void wrongFieldIsNamedWithWhatIsAllowed(String body, String field, String message) {
    Api.Reply r = refused(body, 400);

    assertThat(r.json().get("field").asText()).isEqualTo(field);
    assertThat(r.detail()).contains(message);
  }

  @Test
  void unknownTaskTypeListsTheRegisteredOnes() {
    Api.Reply r = refused("{\"type\":\"emial\"}", 400);

    assertThat(r.json().get("type").asText()).endsWith(":unknown-task-type");
    assertThat(r.json().get("field").asText()).isEqualTo("type");
    assertThat(r.detail()).contains("'emial'").contains("noop").contains("sleep").contains("http");
    assertThat(r.json().get("allowed").toString())
        .contains("\"noop\"", "\"sleep\"", "\"http\"", "\"wordcount\"", "\"fail\"");
  }

  @Test
  void unknownQueueListsTheServedOnes() {
    Api.Reply r = refused("{\"type\":\"noop\",\"queue\":\"fast\"}", 400);

    assertThat(r.json().get("type").asText()).endsWith(":unknown-queue");
    assertThat(r.json().get("field").asText()).isEqualTo("queue");
    assertThat(r.detail()).contains("'fast'").contains("default").contains("other");
  }

  @Test
  void invalidQueueNameIsRefused() {
    // Not served and not a valid name: the served list says what is.
    assertThat(refused("{\"type\":\"noop\",\"queue\":\"a b\"}", 400).detail())
        .contains("is not a queue of this server");
  }

  @Test
  void nonJsonContentTypeIsUnsupported() {
    for (String type :
        new String[] {
          "text/plain", "application/x-www-form-urlencoded", "application/xml", "garbage"
        }) {
      Api.Reply r =
          api.send(
              api.request("/v1/tasks")
                  .header("Content-Type", type)
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"noop\"}"))
                  .build());
      assertThat(r.status()).as(type).isEqualTo(415);
      assertThat(r.contentType()).isEqualTo("application/problem+json");
      assertThat(r.detail()).contains(type).contains("Content-Type: application/json");
    }
  }

  @Test
  void jsonSuffixAndCharsetAreAccepted() {
    Map<String, String> types =
        Map.of(
            "application/json; charset=utf-8", "{\"type\":\"noop\",\"delay\":\"PT1H\"}",
            "application/vnd.spindle+json", "{\"type\":\"noop\",\"delay\":\"PT1H\"}");
    types.forEach(
        (type, body) -> {
          Api.Reply r =
              api.send(
                  api.request("/v1/tasks")
                      .header("Content-Type", type)
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                      .build());
          assertThat(r.status()).as(type).isEqualTo(201);
        });
    accepted = 2;
  }
}

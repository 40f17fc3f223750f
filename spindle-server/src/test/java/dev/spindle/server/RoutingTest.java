package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingTest {
  @TempDir Path dir;
  SpindleServer server;
  Api api;

  @BeforeEach
  void start() {
    server = TestServers.start(dir);
    api = new Api(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void unknownPathIsNotFoundProblem() {
    Api.Reply r = api.get("/v2/tasks");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    assertThat(r.detail()).contains("GET /v2/tasks").contains("/v1/tasks");
  }

  @Test
  void wrongMethodIsNotAllowedAndSaysWhichAre() {
    Api.Reply delete = api.send(api.request("/v1/tasks/5").DELETE().build());
    assertThat(delete.status()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).hasValue("GET");
    assertThat(delete.detail()).contains("/v1/tasks/5 does not accept DELETE; use GET");

    Api.Reply getBatch = api.get("/v1/tasks/batch");
    assertThat(getBatch.status()).isEqualTo(405);
    assertThat(getBatch.headers().firstValue("Allow")).hasValue("POST");

    Api.Reply getCancel = api.get("/v1/tasks/5/cancel");
    assertThat(getCancel.status()).isEqualTo(405);

    Api.Reply put =
        api.send(api.request("/v1/tasks").PUT(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");

    assertThat(api.post("/health").status()).isEqualTo(405);
    assertThat(api.post("/metrics").status()).isEqualTo(405);
    assertThat(api.get("/v1/queues/default/pause").status()).isEqualTo(405);
  }
}

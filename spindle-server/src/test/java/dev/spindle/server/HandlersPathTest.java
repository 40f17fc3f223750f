package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.TaskTypeProvider;
import dev.spindle.core.task.TaskState;
import dev.spindle.server.plugin.GreetingTypes;
import dev.spindle.store.sqlite.SqliteTaskStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlersPathTest {
  private static final String SERVICES = "META-INF/services/" + TaskTypeProvider.class.getName();

  @TempDir Path dir;

  /** Packs the provider class and a service file naming it into a jar, as a build tool would. */
  private Path pluginJar(Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    String[] classes = {
      GreetingTypes.class.getName(), GreetingTypes.Greeting.class.getName(),
    };
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (String name : classes) {
        String entry = name.replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(entry));
        try (InputStream in = GreetingTypes.class.getClassLoader().getResourceAsStream(entry)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry(SERVICES));
      out.write(
          ("# a comment\n" + GreetingTypes.class.getName() + "\n")
              .getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  private SpindleServer.Builder server() {
    return SpindleServer.builder().port(0).store(SqliteTaskStore.open(dir.resolve("t.db")));
  }

  @Test
  void theTestClasspathDoesNotDeclareThePlugin() throws IOException {
    // Other modules (wordcount) declare providers; none of those files names the test plugin.
    var files = getClass().getClassLoader().getResources(SERVICES);
    while (files.hasMoreElements()) {
      try (InputStream in = files.nextElement().openStream()) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .doesNotContain(GreetingTypes.class.getName());
      }
    }
    try (SpindleServer s = server().start()) {
      Api.Reply r = new Api(s.port()).post("/v1/tasks", "{\"type\":\"greet\"}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.detail()).contains("no handler is registered for 'greet'");
    }
  }

  @Test
  void taskTypesOfAJarOnTheHandlersPathRun() throws Exception {
    Path jar = pluginJar(dir.resolve("plugins/greeting.jar"));

    try (SpindleServer s = server().handlersPath(jar).start()) {
      assertThat(s.spindle().taskTypes()).contains("greet", "noop");
      long id = new Api(s.port()).submit("{\"type\":\"greet\",\"payload\":{\"name\":\"Ada\"}}");
      var task = s.spindle().awaitFinal(id, Duration.ofSeconds(20));
      assertThat(task.state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(task.resultJson()).hasValue("\"hello, Ada\"");
    }
  }

  @Test
  void aDirectoryOnTheHandlersPathContributesEveryJarInIt() throws Exception {
    Path plugins = dir.resolve("plugins");
    pluginJar(plugins.resolve("greeting.jar"));
    Files.writeString(plugins.resolve("README.txt"), "not a jar");

    try (SpindleServer s = server().handlersPath(plugins).start()) {
      assertThat(s.spindle().taskTypes()).contains("greet");
    }
  }

  @Test
  void missingHandlersPathIsRefusedAndTheStoreIsClosed() {
    Path missing = dir.resolve("nowhere");

    assertThatThrownBy(() -> server().handlersPath(missing).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("handlers path " + missing + " does not exist");
    // The failed start released the store: it can be opened again.
    SqliteTaskStore.open(dir.resolve("t.db")).close();
  }

  @Test
  void directoryWithoutJarsIsRefused() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));

    assertThatThrownBy(() -> server().handlersPath(empty).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no .jar files");
  }
}

package dev.spindle.server;

import dev.spindle.core.TaskTypeProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jars of the handlers path and the {@link TaskTypeProvider}s they declare in {@code
 * META-INF/services/dev.spindle.core.TaskTypeProvider}.
 *
 * <p>Only the jars' own service files count: a provider that the server's classpath declares is not
 * picked up here, so adding a handlers path never registers a classpath type a second time.
 */
final class HandlerJars implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HandlerJars.class);
  private static final String SERVICES = "META-INF/services/" + TaskTypeProvider.class.getName();

  private final Path path;
  private final URLClassLoader loader;

  private HandlerJars(Path path, URLClassLoader loader) {
    this.path = path;
    this.loader = loader;
  }

  /** A directory (every {@code *.jar} in it) or one jar file. */
  static HandlerJars open(Path dirOrJar) {
    Path path = dirOrJar.toAbsolutePath().normalize();
    List<Path> jars = jars(path);
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("handlers path entry " + jars.get(i) + " is no URL", e);
      }
    }
    ClassLoader parent = new ServiceFilesHidden(SpindleServer.class.getClassLoader());
    return new HandlerJars(path, new URLClassLoader("spindle-handlers", urls, parent));
  }

  /** The providers declared by the jars, instantiated, in jar order. */
  List<TaskTypeProvider> providers() {
    List<TaskTypeProvider> out = new ArrayList<>();
    try {
      for (TaskTypeProvider p : ServiceLoader.load(TaskTypeProvider.class, loader)) {
        out.add(p);
      }
    } catch (java.util.ServiceConfigurationError e) {
      throw new IllegalArgumentException(
          "a task type provider in handlers path " + path + " cannot be loaded: " + e.getMessage(),
          e);
    }
    if (out.isEmpty()) {
      log.warn(
          "handlers path {} declares no task types: add {} to a jar, naming your {}",
          path,
          SERVICES,
          TaskTypeProvider.class.getSimpleName());
    } else {
      log.info(
          "handlers path {}: {}", path, out.stream().map(p -> p.getClass().getName()).toList());
    }
    return out;
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    try {
      loader.close();
    } catch (IOException e) {
      log.warn("could not close the jars of handlers path {}", path, e);
    }
  }

  private static List<Path> jars(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("handlers path " + path + " does not exist");
    }
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    try (Stream<Path> files = Files.list(path)) {
      List<Path> jars =
          files
              .filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".jar"))
              .sorted()
              .toList();
      if (jars.isEmpty()) {
        throw new IllegalArgumentException(
            "handlers path " + path + " holds no .jar files; put your task type jars there");
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list handlers path " + path, e);
    }
  }

  /**
   * Delegates to the server's class loader, except that it shows no service files of task type
   * providers: the service loader of the handler jars then sees only the jars' own.
   */
  private static final class ServiceFilesHidden extends ClassLoader {
    ServiceFilesHidden(ClassLoader parent) {
      super("spindle-handlers-parent", parent);
    }

    @Override
    public URL getResource(String name) {
      return SERVICES.equals(name) ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return SERVICES.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }
  }
}

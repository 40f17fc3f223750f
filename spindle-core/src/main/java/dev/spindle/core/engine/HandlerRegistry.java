package dev.spindle.core.engine;

import dev.spindle.core.TaskTypeOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Task types by name. Handlers come only from here, never from class names in stored data, so a
 * payload can never choose what code runs.
 */
public final class HandlerRegistry {
  private final Map<String, RegisteredType<?>> types;

  public HandlerRegistry(Map<String, RegisteredType<?>> types) {
    this.types = Map.copyOf(new LinkedHashMap<>(types));
  }

  public Optional<RegisteredType<?>> find(String type) {
    return Optional.ofNullable(types.get(type));
  }

  public TaskTypeOptions optionsFor(String type) {
    RegisteredType<?> t = types.get(type);
    return t == null ? TaskTypeOptions.DEFAULTS : t.options();
  }

  public Set<String> typeNames() {
    return types.keySet();
  }
}

package dev.spindle.core.engine;

import dev.spindle.core.TaskHandler;
import dev.spindle.core.TaskTypeOptions;

/** A task type the application registered: how to decode its payload, run it and retry it. */
public record RegisteredType<P>(
    String type, Class<P> payloadType, TaskHandler<P> handler, TaskTypeOptions options) {}

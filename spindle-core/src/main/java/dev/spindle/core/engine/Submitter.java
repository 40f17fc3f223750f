package dev.spindle.core.engine;

import dev.spindle.core.TaskRequest;
import dev.spindle.core.task.TaskInfo;
import java.util.List;

/** What a running handler may do through its context: submit more tasks and read others. */
public interface Submitter {
  /** Validates and writes the tasks, all or nothing; ids in request order. */
  List<Long> submitAll(List<TaskRequest> requests);

  /** The tasks as stored now; unknown ids are left out. */
  List<TaskInfo> get(List<Long> ids);
}

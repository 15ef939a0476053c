package io.scgrn.app.batch;

import java.util.List;

/**
 * Told of a batch's progress (the CLI's progress display implements it). Methods are called from worker threads and
 * must be thread-safe and quick.
 */
public interface BatchListener {
    /** The batch starts: {@code toRun} of {@code tasks} will run, {@code reused} are complete from an earlier run. */
    default void started(List<TaskSpec> tasks, int toRun, int reused) {
    }

    /** A task starts running; {@code progress} can be polled for its state. */
    default void taskStarted(TaskSpec task, TaskProgress progress) {
    }

    /** A running task enters a phase. */
    default void taskPhase(TaskSpec task, String phase) {
    }

    /** A running task finished a training epoch. */
    default void taskEpoch(TaskSpec task, int epoch, int total, double loss) {
    }

    /** A task ended (any status, reused ones included). */
    default void taskFinished(TaskResult result) {
    }

    /** Every task has ended; the report is next. */
    default void finished(BatchResult result) {
    }

    /** Does nothing. */
    BatchListener NONE = new BatchListener() {
    };
}

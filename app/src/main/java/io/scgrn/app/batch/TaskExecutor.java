package io.scgrn.app.batch;

import java.nio.file.Path;

/**
 * Runs one task. The production implementation is {@link PipelineTaskExecutor} (the same pipeline as
 * {@code scgrn infer}); tests substitute slow or failing ones.
 */
@FunctionalInterface
public interface TaskExecutor {
    /**
     * Runs {@code task}, writing its outputs (at least {@code network.tsv}) into {@code outDir}, an empty folder that
     * becomes the task's folder only if the whole task succeeds.
     *
     * @param progress receives phases and epochs; its callbacks throw
     *                 {@link java.util.concurrent.CancellationException} once the batch is cancelled
     * @return facts for the manifest
     * @throws Exception any failure; it is recorded and the other tasks go on
     */
    TaskOutput run(TaskSpec task, Path outDir, TaskProgress progress) throws Exception;

    /**
     * Whether {@code task} must not run at the same time as another exclusive task of this process (the runner
     * then runs such tasks one at a time, others alongside). Default: no.
     */
    default boolean exclusive(TaskSpec task) {
        return false;
    }

    /**
     * What a finished task reports.
     *
     * @param deviceUsed the device the model actually ran on, or null when unknown
     * @param nEdges     edges in the network, or -1 when unknown
     */
    record TaskOutput(String deviceUsed, long nEdges) {
    }
}

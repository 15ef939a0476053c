package io.scgrn.app.server;

import io.scgrn.models.Progress;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Runs one job's inference on a worker thread. The server's implementation is {@link PipelineJobExecutor} (the
 * shared {@code InferPipeline}); tests may substitute their own.
 */
@FunctionalInterface
public interface JobExecutor {
    /**
     * Runs {@code spec} on {@code input}, writing outputs (network.tsv, groups/&lt;g&gt;/network.tsv, regulons.tsv,
     * …) into {@code outDir}, which does not exist yet.
     *
     * @return a summary of the result for job.json (edges, groups, model, timings …)
     * @throws java.util.concurrent.CancellationException when {@code progress.cancelled()} became true
     */
    JsonObject run(JobSpec spec, Path input, Path outDir, Progress progress);

    /**
     * Checks what {@code spec} can get wrong without its input (model, hyper-parameters, options), when the job is
     * submitted, so a bad request is a 400 rather than a job that fails a second later.
     *
     * @throws io.scgrn.app.errors.BadRequestException naming the field
     */
    default void validate(JobSpec spec) {
    }

    /**
     * Whether the job must run alone: such jobs go through a one-at-a-time lane (neural models trained with DJL,
     * whose gradient collector and random seed are process-global).
     */
    default boolean exclusive(JobSpec spec) {
        return false;
    }
}

package io.scgrn.spark;

import io.scgrn.app.batch.BatchListener;
import io.scgrn.app.batch.BatchPlan;
import io.scgrn.app.batch.PipelineTaskExecutor;
import io.scgrn.app.batch.PlanParser;
import io.scgrn.app.batch.RemoteTaskFailure;
import io.scgrn.app.batch.TaskExecutor;
import io.scgrn.app.batch.TaskProgress;
import io.scgrn.app.batch.TaskSpec;
import io.scgrn.app.run.InferPipeline;
import io.scgrn.app.run.ScgrnConfig;
import io.scgrn.models.Models;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One batch task as it travels to an executor: only names (plan, configuration, task id, output folder), since the
 * executor rebuilds the task from the plan on the shared file system exactly as the driver did, and runs it through
 * {@link PipelineTaskExecutor}.
 *
 * <p>{@link #call} returns {@code {device, nEdges}} on success and {@code {ERROR, message}} when the task itself
 * fails (bad data, bad parameters): such a failure is recorded for the task, not retried by Spark. Only a lost
 * executor or JVM makes Spark run the task again, into a cleaned folder.
 */
record RemoteTask(String plan, String deviceOverride, String config, String configHash, String taskId,
                  String outDir) implements Serializable {
    static final String ERROR = "\u0000error";
    /** DJL trains one model per process: exclusive tasks of one executor JVM run one at a time. */
    private static final Object EXCLUSIVE = new Object();

    String[] call() {
        try {
            List<String> models = new ArrayList<>(Models.names());
            models.add("default");
            BatchPlan p = new PlanParser(models).parse(Path.of(plan));
            TaskSpec task = TaskSpec.expand(p, deviceOverride, configHash).stream()
                    .filter(t -> t.id().equals(taskId)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("task " + taskId + " is not in " + plan
                            + " as this executor reads it (plan changed while the batch ran?)"));
            ScgrnConfig cfg = ScgrnConfig.load(config == null ? null : Path.of(config));
            Path out = Path.of(outDir);
            clean(out);
            PipelineTaskExecutor executor = new PipelineTaskExecutor(new InferPipeline(cfg));
            TaskProgress progress = new TaskProgress(task, () -> false, new BatchListener() {
            });
            TaskExecutor.TaskOutput o;
            if (executor.exclusive(task)) {
                synchronized (EXCLUSIVE) {
                    o = executor.run(task, out, progress);
                }
            } else {
                o = executor.run(task, out, progress);
            }
            return new String[] {o.deviceUsed(), Long.toString(o.nEdges())};
        } catch (RuntimeException | OutOfMemoryError e) {
            RemoteTaskFailure f = RemoteTaskFailure.of(e);
            return new String[] {ERROR, f.getMessage(), Integer.toString(f.exitCode())};
        }
    }

    /** The driver's view of a failed task: its message (as a local run shows it) or Spark's. */
    static String taskError(Throwable e) {
        return SparkBackend.firstLine(e);
    }

    /** A retried task starts from an empty folder (the lost attempt may have left staging files). */
    private static void clean(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).filter(f -> !f.equals(dir)).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }
}

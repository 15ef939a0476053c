package io.scgrn.spark;

import io.scgrn.app.batch.ClusterBackend;
import io.scgrn.app.batch.RemoteTaskFailure;
import io.scgrn.app.batch.TaskExecutor;
import io.scgrn.app.batch.TaskProgress;
import io.scgrn.app.batch.TaskSpec;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Runs each batch task as a one-partition Spark job: the {@link io.scgrn.app.batch.BatchRunner} on the driver keeps
 * doing everything else (which tasks to run or reuse, staging folders, task.json, summaries, the report), so a Spark
 * run resumes exactly like a local one and its task folders hold the same files. The runner's threads submit jobs
 * concurrently; Spark spreads them over the executors and retries a task whose executor is lost.
 */
final class SparkTaskExecutor implements TaskExecutor {
    private final JavaSparkContext sc;
    private final ClusterBackend.BatchJob job;

    SparkTaskExecutor(JavaSparkContext sc, ClusterBackend.BatchJob job) {
        this.sc = sc;
        this.job = job;
    }

    @Override
    public TaskOutput run(TaskSpec task, Path outDir, TaskProgress progress) throws Exception {
        RemoteTask remote = new RemoteTask(job.plan().toString(), job.deviceOverride(),
                job.config() == null ? null : job.config().toString(), job.configHash(), task.id(),
                outDir.toAbsolutePath().toString());
        String group = "scgrn-" + task.id() + "-" + Thread.currentThread().getId();
        progress.phase("spark");
        sc.setJobGroup(group, "scgrn task " + task.folder(), true);
        try {
            List<String[]> out = sc.parallelize(List.of(remote), 1).map(RemoteTask::call).collect();
            String[] r = out.get(0);
            if (RemoteTask.ERROR.equals(r[0])) {
                throw new RemoteTaskFailure(r[1], Integer.parseInt(r[2]));
            }
            return new TaskOutput(r[0], Long.parseLong(r[1]));
        } catch (RemoteTaskFailure e) {
            throw e;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || progress.cancelled()) {
                sc.cancelJobGroup(group);
                throw new CancellationException("cancelled");
            }
            throw new IllegalStateException("spark: " + RemoteTask.taskError(e), e);
        } finally {
            sc.clearJobGroup();
        }
    }
}

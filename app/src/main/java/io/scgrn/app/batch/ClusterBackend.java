package io.scgrn.app.batch;

import io.scgrn.app.run.GroupInference;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A cluster that runs work of this process elsewhere: {@code --spark MASTER}. The implementation lives in the
 * optional {@code spark} module, found with {@link ServiceLoader} only when a command asks for it, so that Spark is
 * on no other command's class path (the launcher adds it for {@code --spark} only).
 */
public interface ClusterBackend {
    /** The backend's name ("spark"). */
    String name();

    /**
     * Connects to {@code master} (e.g. {@code spark://host:7077} or {@code local[4]}).
     *
     * @throws ClusterException when the master cannot be reached or refuses the application
     */
    Cluster connect(String master, String appName);

    /** The backend called {@code name}, when its module is on the class path. */
    static Optional<ClusterBackend> find(String name) {
        for (ClusterBackend b : ServiceLoader.load(ClusterBackend.class)) {
            if (b.name().equals(name)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** An open connection; closing it ends the application on the cluster. */
    interface Cluster extends AutoCloseable {
        /** Tasks the cluster runs at once (executor cores), at least 1. */
        int parallelism();

        /**
         * An executor that runs each batch task of {@code plan} on the cluster: executors re-read the plan (and the
         * configuration) from the shared file system and run the task through the same pipeline as
         * {@link PipelineTaskExecutor}, writing into the task folder the runner gives, which must be on a path every
         * executor sees.
         */
        TaskExecutor batchExecutor(BatchJob job);

        /**
         * Per-group inference for {@code scgrn infer --groupby COL}: each group's prepared matrix goes to an executor,
         * which runs the model on it with the run's seed and parameters and sends the network back.
         */
        GroupInference groupInference();

        /**
         * Checks, before any task runs, that the executors see the batch's output folder {@code dir} as this
         * process does and can write in it: task outputs go there, and a folder only the driver sees (its local disk)
         * would leave them on the executors' disks. Does nothing when this process cannot create {@code dir} (the
         * batch then reports that itself).
         *
         * @throws ClusterException naming the folder and the first executor that cannot use it
         */
        default void checkOutputFolder(Path dir) {
        }

        @Override
        void close();
    }

    /**
     * What an executor needs to rebuild the tasks of a plan exactly as {@code scgrn batch} did.
     *
     * @param plan           the plan file (absolute)
     * @param deviceOverride {@code --device}, or null
     * @param config         {@code --config}, or null
     * @param configHash     the configuration's hash as it enters the task ids, or null
     */
    record BatchJob(Path plan, String deviceOverride, Path config, String configHash) {
    }

    /** The cluster cannot be reached, refused the application, or lost it. */
    final class ClusterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ClusterException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

package io.scgrn.app.batch;

import java.nio.file.Path;

/**
 * A task's outcome in this batch run.
 *
 * @param task     the task
 * @param manifest its manifest (for {@link TaskStatus#NOT_RUN}: a manifest that was never written to disk)
 * @param dir      its folder under {@code tasks/} (may not exist for NOT_RUN, or when even the failure could not be
 *                 written)
 * @param reused   true when an earlier run's complete outputs were kept instead of running it
 */
public record TaskResult(TaskSpec task, TaskManifest manifest, Path dir, boolean reused) {
    public TaskStatus status() {
        return manifest.status();
    }
}

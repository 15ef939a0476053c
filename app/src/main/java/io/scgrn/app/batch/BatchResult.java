package io.scgrn.app.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * Outcome of a batch run.
 *
 * @param out       the output folder
 * @param results   one per task, in plan order
 * @param cancelled whether the run was cancelled (Ctrl-C)
 * @param seconds   wall seconds of the run (report excluded)
 */
public record BatchResult(Path out, List<TaskResult> results, boolean cancelled, double seconds) {
    public BatchResult {
        results = List.copyOf(results);
    }

    public long count(TaskStatus status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    /** Tasks actually run this time (not reused). */
    public long ran() {
        return results.stream().filter(r -> !r.reused() && r.status() != TaskStatus.NOT_RUN).count();
    }

    public long reused() {
        return results.stream().filter(TaskResult::reused).count();
    }

    /** The CLI exit code: 130 when cancelled, 3 when any task failed, else 0. */
    public int exitCode() {
        if (cancelled) {
            return 130;
        }
        return count(TaskStatus.FAILED) > 0 ? 3 : 0;
    }
}

package io.scgrn.app.batch;

/**
 * A task that failed on another machine (a cluster executor, {@link ClusterBackend}): it carries the one-line error
 * and the exit code that the local runner records for the original exception, so that a task's {@code task.json}
 * and the summaries read the same whether it ran here or there.
 */
public final class RemoteTaskFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public RemoteTaskFailure(String line, int exitCode) {
        super(line);
        this.exitCode = exitCode;
    }

    /** What the local runner would record for {@code failure} (computed where the task ran). */
    public static RemoteTaskFailure of(Throwable failure) {
        return new RemoteTaskFailure(BatchRunner.oneLine(failure), BatchRunner.exitCode(failure, TaskStatus.FAILED));
    }

    /** The exit code of a local run with the same failure. */
    public int exitCode() {
        return exitCode;
    }
}

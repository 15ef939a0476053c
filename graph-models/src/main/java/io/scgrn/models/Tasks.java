package io.scgrn.models;

import java.util.concurrent.ExecutionException;

/** What a background task threw, for its waiter to rethrow as it was thrown. */
public final class Tasks {
    private Tasks() {
    }

    /**
     * A background task's own exception, to rethrow as it was thrown ({@code throw Tasks.unwrap(e)}): a runtime
     * exception (a bad value, a cancellation) is returned as it is, an error is thrown here, a checked one is
     * wrapped in an {@link IllegalStateException} (callers that declare a checked type test for it first).
     */
    public static RuntimeException unwrap(ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
            return r;
        }
        if (e.getCause() instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e.getCause());
    }
}

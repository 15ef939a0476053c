package io.scgrn.models;

/**
 * Receives progress from long-running steps; the CLI draws bars from it, the server streams it as events.
 * Implementations must be thread-safe and cheap. {@link #cancelled()} lets a caller stop a run: models check it
 * between epochs and throw {@link java.util.concurrent.CancellationException}.
 */
public interface Progress {
    /** A new phase starts (for example "prepare", "train", "score"). */
    default void phase(String name) {
    }

    /** Training epoch {@code epoch} of {@code total} finished with {@code loss}. */
    default void epoch(int epoch, int total, double loss) {
    }

    /** Generic fraction done within the current phase, 0..1. */
    default void fraction(double done) {
    }

    default boolean cancelled() {
        return false;
    }

    Progress NONE = new Progress() {
    };
}

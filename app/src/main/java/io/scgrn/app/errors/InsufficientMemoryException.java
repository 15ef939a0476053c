package io.scgrn.app.errors;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The heap was too small for the run (a {@link OutOfMemoryError} caught and turned into a one-line message): exit
 * code 6. The message says what to do: stream the matrix ({@code --prep stream=on}) or give the JVM more heap.
 */
public final class InsufficientMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InsufficientMemoryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message for running out of heap while processing {@code input}. */
    public static InsufficientMemoryException of(Path input, OutOfMemoryError e) {
        return new InsufficientMemoryException(String.format(Locale.ROOT, "not enough memory for %s with a %.1f GiB "
                + "heap: run with --prep stream=on (streams the matrix from the file), fewer genes (--prep "
                + "n-top-genes=N) or a larger heap (SCGRN_JAVA_OPTS=-Xmx16g)", input,
                Runtime.getRuntime().maxMemory() / (double) (1L << 30)), e);
    }
}

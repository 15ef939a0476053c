package io.scgrn.app.batch;

/**
 * The batch as a whole cannot run: its output folder is not writable or another batch is using it. The CLI prints
 * the one-line message and exits with code 2 (a bad {@code --out}).
 */
public class BatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BatchException(String message, Throwable cause) {
        super(message, cause);
    }
}

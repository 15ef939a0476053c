package io.scgrn.app.errors;

/**
 * A request the pipeline cannot run because of how it was asked, not because of the data: unknown model, malformed
 * parameter, a TF list or prior file that does not exist, an output path that is a file. The CLI maps it to exit
 * code 2, the server to HTTP 400, a batch to a failed task.
 */
public class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public BadRequestException(String field, String message) {
        this(field, message, null);
    }

    public BadRequestException(String field, String message, Throwable cause) {
        super(field == null ? message : field + ": " + message, cause);
        this.field = field;
    }

    /** The request field at fault (model, param, tfs, out…), or null. */
    public String field() {
        return field;
    }
}

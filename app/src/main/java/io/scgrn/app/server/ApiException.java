package io.scgrn.app.server;

/**
 * A request the API refuses, with the HTTP status to answer and a one-line message safe to show the client (no
 * server paths, no stack trace).
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "no " + what + " '" + id + "'");
    }
}

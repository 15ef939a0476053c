package io.scgrn.app.server;

/**
 * A request the API refuses, with the HTTP status to answer and a one-line message safe to show the client (no
 * server paths, no stack trace).
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    /** Seconds the client should wait before trying again (sent as Retry-After), or 0. */
    private final int retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, 0);
    }

    public ApiException(int status, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * 429: the client asks for more work than the server takes at once (a full queue); nothing is wrong with the
     * request or the server, it should try again after {@code retryAfterSeconds}.
     */
    public static ApiException tooManyRequests(String message, int retryAfterSeconds) {
        return new ApiException(429, message, retryAfterSeconds);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "no " + what + " '" + id + "'");
    }
}

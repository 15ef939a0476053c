package io.scgrn.app.server;

import io.scgrn.anndata.AnnDataException;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.models.ModelException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that writes error responses: {@code {"error": "...", "status": N, "request_id": "..."}}. Causes are
 * logged with the request id; clients never see stack traces or server paths.
 */
public final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);
    private static final AtomicLong COUNTER = new AtomicLong();
    static final String REQUEST_ID = "requestId";

    private Errors() {
    }

    /** First handler of every route: gives the request an id (also sent as X-Request-Id). */
    public static void assignRequestId(RoutingContext ctx) {
        String id = Long.toString(COUNTER.incrementAndGet(), 36);
        ctx.put(REQUEST_ID, id);
        ctx.response().putHeader("X-Request-Id", id);
        ctx.next();
    }

    public static String requestId(RoutingContext ctx) {
        Object id = ctx.get(REQUEST_ID);
        return id == null ? "-" : id.toString();
    }

    /** Sends an error response now (no-op when the response has already ended). */
    public static void send(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        JsonObject body = new JsonObject().put("error", clientSafe(message)).put("status", status)
                .put("request_id", requestId(ctx));
        if (ctx.response().headWritten()) {
            // Headers are gone (a stream was under way): all that is left is to cut it.
            ctx.response().reset();
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    /** Router failure handler: maps the failure to a status and a one-line message. */
    public static void failureHandler(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (ctx.response().closed()) {
            // The client went away (an aborted upload, a closed tab): nobody to answer, nothing went wrong here.
            LOG.debug("request {} {} {}: client closed the connection", requestId(ctx), ctx.request().method(),
                    ctx.request().path());
            return;
        }
        int status = ctx.statusCode();
        String message;
        if (t instanceof ApiException a) {
            status = a.status();
            message = a.getMessage();
            if (a.retryAfterSeconds() > 0 && !ctx.response().headWritten()) {
                ctx.response().putHeader("Retry-After", Integer.toString(a.retryAfterSeconds()));
            }
        } else if (t instanceof BadRequestException || t instanceof IllegalArgumentException
                || t instanceof DecodeException) {
            status = 400;
            message = t.getMessage();
        } else if (t instanceof AnnDataException) {
            status = 422;
            message = t.getMessage();
        } else if (t instanceof ModelException) {
            status = 422;
            message = t.getMessage();
        } else if (t != null && status >= 400 && status < 500) {
            // A handler of Vert.x (CORS, body limits …) refused the request: its status stands, and its exception
            // (class name, wording meant for logs) stays in the log.
            message = reason(status);
        } else if (t != null) {
            status = 500;
            message = "internal error (request " + requestId(ctx) + ")";
        } else {
            if (status < 400) {
                status = 500;
            }
            message = reason(status);
        }
        // A 503 with Retry-After ("being computed, try again") is an expected answer, not a failure: no stack trace.
        boolean retry = t instanceof ApiException ae && ae.retryAfterSeconds() > 0;
        if (status >= 500 && !retry) {
            LOG.error("request {} {} {} failed", requestId(ctx), ctx.request().method(), ctx.request().path(), t);
        } else {
            LOG.info("request {} {} {} -> {}: {}", requestId(ctx), ctx.request().method(), ctx.request().path(),
                    status, message);
        }
        send(ctx, status, message == null ? reason(status) : message);
    }

    /**
     * Absolute file paths (at least two segments; API paths excepted): only the last segment, the file's name, is
     * kept.
     */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile(
            "(?<![\\w.:/])(?:[A-Za-z]:)?[/\\\\](?!api/)(?:[^\\s/\\\\:'\",;()\\[\\]]+[/\\\\])+([^\\s/\\\\:'\",;()\\[\\]]+)");
    /** Qualified Java class names of exceptions ("java.io.IOException: "), with the colon after them. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z_$][a-z0-9_$]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*");

    /**
     * A message fit for a client: one line, without server paths (a path is reduced to its file name) and without
     * Java class names. Every error response and job error goes through it, so no handler can leak them by
     * accident.
     */
    public static String clientSafe(String message) {
        if (message == null) {
            return null;
        }
        String m = message;
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        m = ABSOLUTE_PATH.matcher(m).replaceAll("$1");
        m = CLASS_NAME.matcher(m).replaceAll("");
        m = m.strip();
        return m.isEmpty() ? "error" : m;
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "missing or wrong bearer token";
            case 404 -> "not found";
            case 403 -> "forbidden";
            case 405 -> "method not allowed";
            case 413 -> "upload larger than the server's --max-upload";
            case 415 -> "unsupported media type";
            case 429 -> "too many requests; try again later";
            case 503 -> "service unavailable";
            default -> "error " + status;
        };
    }
}

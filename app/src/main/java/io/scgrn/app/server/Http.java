package io.scgrn.app.server;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/** Small helpers shared by the handlers: worker offloading, typed query parameters, JSON/Arrow replies. */
final class Http {
    private Http() {
    }

    /**
     * Runs blocking work (file reads, parsing, computation) on a worker thread; its failure goes to the router's
     * failure handler. Unordered, so concurrent requests do not queue behind each other.
     */
    static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        Future<T> f = ctx.vertx().executeBlocking(work, false);
        f.onFailure(ctx::fail);
        return f;
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(body.encode());
        }
    }

    static void json(RoutingContext ctx, JsonObject body) {
        json(ctx, 200, body);
    }

    static void arrow(RoutingContext ctx, byte[] bytes) {
        if (!ctx.response().ended()) {
            ctx.response().putHeader("Content-Type", ArrowIpc.MEDIA_TYPE).end(Buffer.buffer(bytes));
        }
    }

    /** An integer query parameter; 400 when malformed or out of range. */
    static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
        String v = ctx.request().getParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int x = Integer.parseInt(v.trim());
            if (x < min || x > max) {
                throw ApiException.badRequest("parameter '" + name + "' must be in " + min + ".." + max + ", not "
                        + x);
            }
            return x;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parameter '" + name + "' must be an integer, not '" + v + "'");
        }
    }

    /** A finite number query parameter, NaN when absent; 400 when malformed. */
    static double doubleParam(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        if (v == null || v.isBlank()) {
            return Double.NaN;
        }
        try {
            double x = Double.parseDouble(v.trim());
            if (!Double.isFinite(x)) {
                throw new NumberFormatException();
            }
            return x;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parameter '" + name + "' must be a number, not '" + v + "'");
        }
    }

    /** A comma-separated (or repeated) parameter as a set; empty when absent. */
    static Set<String> setParam(RoutingContext ctx, String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : ctx.queryParam(name)) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** A required path parameter. */
    static String path(RoutingContext ctx, String name) {
        String v = ctx.pathParam(name);
        if (v == null || v.isEmpty()) {
            throw ApiException.badRequest("missing path parameter '" + name + "'");
        }
        return v;
    }
}

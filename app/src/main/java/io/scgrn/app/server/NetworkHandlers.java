package io.scgrn.app.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/** {@code /api/v1/jobs/{id}/network…} queries and {@code /export}. */
final class NetworkHandlers {
    private final ServerContext sc;

    NetworkHandlers(ServerContext sc) {
        this.sc = sc;
    }

    /** Checks the job is done (409 otherwise). */
    private static JsonObject done(String id, JsonObject job) {
        if (!"done".equals(job.getString("status"))) {
            throw new ApiException(409, "job " + id + " is " + job.getString("status") + ", not done");
        }
        return job;
    }

    /** Runs {@code then} with the record of job {@code id} once it is known to exist and be done (404 / 409). */
    private void withDoneJob(RoutingContext ctx, String id, Consumer<JsonObject> then) {
        JobHandlers.withJob(ctx, sc, id, job -> then.accept(done(id, job)));
    }

    /**
     * Answers from the loaded network: on the event loop when it is cached (microseconds to milliseconds), else on
     * a worker that reads it first.
     */
    private void withNetwork(RoutingContext ctx, String group, String key,
                             Function<LoadedNetwork, JsonObject> query) {
        String id = Http.path(ctx, "id");
        // The key is built from the parsed parameters (the query the answer depends on), never from the raw
        // query string: unknown parameters, order and spelling variants cannot fill the cache with copies.
        // Hot path (a job in memory, its network loaded, the answer encoded): bytes from the cache on the event
        // loop, with no file access and no JSON built.
        LoadedNetwork loaded = "done".equals(sc.jobs().statusInMemory(id)) ? sc.networks().cached(id, group) : null;
        Buffer hit = loaded == null ? null : loaded.cachedResponse(key);
        if (hit != null) {
            send(ctx, hit);
            return;
        }
        // Anything else (reading the job's record or network from disk, building and encoding the answer, up to
        // 100,000 edges) runs on a worker, so a cold query never holds up the cached ones behind it.
        withDoneJob(ctx, id, j -> Http.blocking(ctx, () -> {
            LoadedNetwork n = sc.networks().load(id, group);
            return n.response(key, () -> query.apply(n));
        }).onSuccess(body -> send(ctx, body)));
    }

    /** A cache key from a route name and its parsed parameters (sets sorted). */
    private static String key(String route, Object... parts) {
        StringBuilder b = new StringBuilder(route);
        for (Object p : parts) {
            b.append('\u0000').append(p instanceof Set<?> set ? new TreeSet<>(set) : p);
        }
        return b.toString();
    }

    private static void send(RoutingContext ctx, Buffer body) {
        if (!ctx.response().ended()) {
            ctx.response().putHeader("Content-Type", "application/json").end(body);
        }
    }

    void network(RoutingContext ctx) {
        int top = Http.intParam(ctx, "top", 100, 0, Networks.MAX_EDGES);
        double min = Http.doubleParam(ctx, "min_score");
        Set<String> tfs = Http.setParam(ctx, "tf");
        Set<String> targets = Http.setParam(ctx, "target");
        String group = ctx.request().getParam("group");
        withNetwork(ctx, group, key("top", top, min, tfs, targets, group), n -> Networks.top(n, top, min, tfs,
                targets).put("group", group == null ? Networks.ALL : group));
    }

    void neighbourhood(RoutingContext ctx) {
        String gene = ctx.request().getParam("gene");
        if (gene == null || gene.isBlank()) {
            throw ApiException.badRequest("parameter 'gene' is required");
        }
        int depth = Http.intParam(ctx, "depth", 1, 1, 3);
        int limit = Http.intParam(ctx, "limit", 200, 1, 10_000);
        double min = Http.doubleParam(ctx, "min_score");
        withNetwork(ctx, ctx.request().getParam("group"), key("neighbourhood", gene.trim(), depth, limit, min),
                n -> Networks.neighbourhood(n, gene.trim(), depth, limit, min));
    }

    void regulons(RoutingContext ctx) {
        int perTf = Http.intParam(ctx, "targets", 50, 1, 10_000);
        int limit = Http.intParam(ctx, "limit", 1000, 1, 100_000);
        withNetwork(ctx, ctx.request().getParam("group"), key("regulons", perTf, limit),
                n -> Networks.regulons(n, perTf, limit));
    }

    void groups(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        withDoneJob(ctx, id, job -> Http.blocking(ctx, () -> new JsonObject().put("groups",
                new JsonArray(sc.networks().groups(id)))).onSuccess(body -> Http.json(ctx, body)));
    }

    void diff(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        String a = ctx.request().getParam("a");
        String b = ctx.request().getParam("b");
        if (a == null || b == null) {
            throw ApiException.badRequest("parameters 'a' and 'b' (group names, or 'all') are required");
        }
        int top = Http.intParam(ctx, "top", 1000, 1, Networks.MAX_EDGES);
        withDoneJob(ctx, id, job -> Http.blocking(ctx, () -> Networks.diff(sc.networks().load(id, a),
                sc.networks().load(id, b), a, b, top)).onSuccess(body -> Http.json(ctx, body)));
    }

    void export(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        String format = ctx.request().getParam("format", "tsv");
        String group = ctx.request().getParam("group");
        String[] f = Exports.FORMATS.get(format);
        if (f == null) {
            throw ApiException.badRequest("unknown format '" + format + "'; formats: "
                    + String.join(", ", Exports.FORMATS.keySet()));
        }
        withDoneJob(ctx, id, job -> export(ctx, id, job, format, group, f));
    }

    private void export(RoutingContext ctx, String id, JsonObject job, String format, String group, String[] f) {
        Http.blocking(ctx, () -> {
            LoadedNetwork n = sc.networks().load(id, group);
            JsonObject prov = new JsonObject().put("job", id).put("dataset", job.getString("dataset"))
                    .put("dataset_name", job.getString("dataset_name"))
                    .put("model", job.getJsonObject("result", new JsonObject()).getString("model"))
                    .put("group", group == null ? Networks.ALL : group);
            if (!format.equals("h5ad")) {
                return Exports.export(sc.networks().outDir(id), group, n, format, null, prov);
            }
            String ds = job.getString("dataset");
            if (sc.workspace().datasetMeta(ds).isEmpty()) {
                throw new ApiException(410, "the job's dataset has been deleted: h5ad export needs its cells");
            }
            if (n.size() == 0) {
                throw new ApiException(409, "the network is empty: nothing to export as h5ad");
            }
            return sc.datasets().usePrimary(ds, cells -> Exports.export(sc.networks().outDir(id), group, n, format,
                    cells, prov));
        }).onSuccess((Path file) -> {
            String name = "scgrn-" + id.substring(0, 8) + "-" + (group == null ? Networks.ALL : group) + "." + f[0];
            ctx.response().putHeader("Content-Type", f[1])
                    .putHeader("Content-Disposition", "attachment; filename=\"" + name.replace("\"", "") + "\"")
                    .sendFile(file.toString());
        });
    }
}

package io.scgrn.app.server;

import io.scgrn.app.run.InferPipeline;
import io.scgrn.models.Models;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@code /api/v1/jobs}: submit, list, status, server-sent progress events, cancel, log. */
final class JobHandlers {
    private static final long KEEP_ALIVE_MS = 15_000;
    private final ServerContext sc;

    JobHandlers(ServerContext sc) {
        this.sc = sc;
    }

    void create(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            int nl = why.indexOf('\n');
            throw ApiException.badRequest("request body is not a JSON object: " + (nl < 0 ? why : why.substring(0, nl)));
        }
        JobSpec spec = JobSpec.fromJson(body);
        Http.blocking(ctx, () -> {
            JsonObject meta = sc.workspace().datasetMeta(spec.dataset())
                    .orElseThrow(() -> ApiException.notFound("dataset", spec.dataset()));
            if (!checkGroupby(spec, meta, sc.config().limits().maxGroups())) {
                // Not categorical: count its values in the data (the load is budgeted, and cached for the UI).
                sc.datasets().usePrimary(spec.dataset(), a -> {
                    InferPipeline.checkGroupCount(a, spec.groupby(), sc.config().limits().maxGroups());
                    return null;
                });
            }
            Path file = sc.workspace().datasetFile(spec.dataset(), meta);
            return sc.jobs().submit(spec, file, meta.getString("name"), MemoryBudget.declaredBytes(meta));
        }).onSuccess(job -> {
            job.remove("losses");
            ctx.response().putHeader("Location", "/api/v1/jobs/" + job.getString("id"));
            Http.json(ctx, 201, job);
        });
    }

    /**
     * 400 when the groupby column is not in the dataset, or is a categorical column with more categories than the
     * server allows (one network per category, and a pairwise comparison of them all).
     *
     * @return true when checked from the metadata alone; false for a column of another type, whose distinct values
     *         must be counted in the data
     */
    static boolean checkGroupby(JobSpec spec, JsonObject meta, int maxGroups) {
        if (spec.groupby() == null) {
            return true;
        }
        JsonArray cols = meta.getJsonArray("obs_columns", new JsonArray());
        for (int i = 0; i < cols.size(); i++) {
            JsonObject c = cols.getJsonObject(i);
            if (spec.groupby().equals(c.getString("name"))) {
                int n = c.getInteger("n_categories", -1);
                if (n > maxGroups) {
                    throw ApiException.badRequest("groupby column '" + spec.groupby() + "' has " + n
                            + " categories; at most " + maxGroups + " groups are allowed");
                }
                return "categorical".equals(c.getString("type"));
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            names.add(cols.getJsonObject(i).getString("name"));
        }
        throw ApiException.badRequest("no obs column '" + spec.groupby() + "' to group by; columns: "
                + String.join(", ", names));
    }

    /** Model names the pipeline accepts, and the default one. */
    void models(RoutingContext ctx) {
        Http.json(ctx, new JsonObject().put("models", new JsonArray(Models.names()))
                .put("default", Models.DEFAULT_NAME));
    }

    /** Jobs, newest first, a page at a time ({@code limit}, {@code offset}); {@code total} counts them all. */
    void list(RoutingContext ctx) {
        String dataset = ctx.request().getParam("dataset");
        int limit = Http.intParam(ctx, "limit", 100, 1, 1000);
        int offset = Http.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        // Older jobs' records are read from disk for the page: on a worker.
        Http.blocking(ctx, () -> sc.jobs().page(dataset, offset, limit)).onSuccess(page -> Http.json(ctx,
                new JsonObject().put("jobs", new JsonArray(page.jobs())).put("total", page.total())
                        .put("offset", offset).put("limit", limit)));
    }

    void get(RoutingContext ctx) {
        withJob(ctx, sc, Http.path(ctx, "id"), job -> Http.json(ctx, job));
    }

    /**
     * Runs {@code then} with job {@code id}'s record: at once when it is held in memory, else once a worker has read
     * it from disk (the event loop reads no files). 404 when there is no such job; what {@code then} throws goes to
     * the router's failure handler either way.
     */
    static void withJob(RoutingContext ctx, ServerContext sc, String id, Consumer<JsonObject> then) {
        JsonObject j = sc.jobs().inMemory(id);
        if (j != null) {
            then.accept(j);
            return;
        }
        Http.blocking(ctx, () -> sc.jobs().get(id).orElseThrow(() -> ApiException.notFound("job", id)))
                .onSuccess(job -> {
                    try {
                        then.accept(job);
                    } catch (RuntimeException e) {
                        ctx.fail(e);
                    }
                });
    }

    void cancel(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        Http.blocking(ctx, () -> sc.jobs().cancel(id).orElseThrow(() -> ApiException.notFound("job", id)))
                .onSuccess(j -> {
                    j.remove("losses");
                    Http.json(ctx, 202, j);
                });
    }

    void logs(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        Path log = sc.jobs().logFile(id);
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8");
        Http.blocking(ctx, () -> {
            if (sc.jobs().get(id).isEmpty()) {
                throw ApiException.notFound("job", id);
            }
            return Files.exists(log);
        }).onSuccess(exists -> {
            if (exists) {
                ctx.response().sendFile(log.toString());
            } else {
                ctx.response().end("");
            }
        });
    }

    /**
     * Server-sent events: one {@code data:} line with the job's JSON per change (at most ten a second), the first
     * one with the whole loss curve, the last one when the job ends, after which the stream closes.
     */
    void events(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        withJob(ctx, sc, id, first -> events(ctx, id, first));
    }

    private void events(RoutingContext ctx, String id, JsonObject first) {
        HttpServerResponse resp = ctx.response();
        resp.setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        send(resp, first);
        if (Job.TERMINAL.contains(first.getString("status"))) {
            resp.end();
            return;
        }
        MessageConsumer<JsonObject> consumer = ctx.vertx().eventBus().localConsumer(JobManager.address(id));
        long timer = ctx.vertx().setPeriodic(KEEP_ALIVE_MS, t -> {
            if (!resp.ended() && !resp.closed()) {
                resp.write(": keep-alive\n\n");
            }
        });
        Runnable cleanup = () -> {
            consumer.unregister();
            ctx.vertx().cancelTimer(timer);
        };
        consumer.handler(msg -> {
            if (resp.ended() || resp.closed()) {
                cleanup.run();
                return;
            }
            JsonObject snap = msg.body();
            boolean done = Job.TERMINAL.contains(snap.getString("status"));
            if (!done) {
                snap = snap.copy();
                snap.remove("losses");
            }
            send(resp, snap);
            if (done) {
                cleanup.run();
                resp.end();
            }
        });
        resp.closeHandler(v -> cleanup.run());
        // The job may have ended between the first snapshot and the consumer's registration.
        consumer.completion().onSuccess(v -> {
            JsonObject now = sc.jobs().inMemory(id);
            now = now != null ? now : first;
            if (Job.TERMINAL.contains(now.getString("status")) && !resp.ended()) {
                send(resp, now);
                cleanup.run();
                resp.end();
            }
        });
    }

    private static void send(HttpServerResponse resp, JsonObject snap) {
        resp.write("data: " + snap.encode() + "\n\n");
    }
}

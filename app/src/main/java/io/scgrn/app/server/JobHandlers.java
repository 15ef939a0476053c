package io.scgrn.app.server;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;

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
            Path file = sc.workspace().datasetFile(spec.dataset(), meta);
            return sc.jobs().submit(spec, file, meta.getString("name"));
        }).onSuccess(job -> {
            job.remove("losses");
            ctx.response().putHeader("Location", "/api/v1/jobs/" + job.getString("id"));
            Http.json(ctx, 201, job);
        });
    }

    /** Model names the pipeline accepts, and the default one. */
    void models(RoutingContext ctx) {
        Http.json(ctx, new JsonObject().put("models", new JsonArray(io.scgrn.models.Models.names()))
                .put("default", io.scgrn.models.Models.DEFAULT_NAME));
    }

    void list(RoutingContext ctx) {
        String dataset = ctx.request().getParam("dataset");
        JsonArray out = new JsonArray();
        for (JsonObject j : sc.jobs().list()) {
            if (dataset == null || dataset.equals(j.getString("dataset"))) {
                out.add(j);
            }
        }
        Http.json(ctx, new JsonObject().put("jobs", out));
    }

    void get(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        Http.json(ctx, sc.jobs().get(id).orElseThrow(() -> ApiException.notFound("job", id)));
    }

    void cancel(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        JsonObject j = sc.jobs().cancel(id).orElseThrow(() -> ApiException.notFound("job", id));
        j.remove("losses");
        Http.json(ctx, 202, j);
    }

    void logs(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        if (sc.jobs().get(id).isEmpty()) {
            throw ApiException.notFound("job", id);
        }
        Path log = sc.jobs().logFile(id);
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8");
        Http.blocking(ctx, () -> Files.exists(log)).onSuccess(exists -> {
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
        JsonObject first = sc.jobs().get(id).orElseThrow(() -> ApiException.notFound("job", id));
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
            JsonObject now = sc.jobs().get(id).orElse(first);
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

package io.scgrn.app.server;

import io.scgrn.app.run.PerturbPipeline;
import io.scgrn.app.run.PerturbRequest;
import io.scgrn.models.ModelException;
import io.scgrn.models.perturb.PerturbOptions;
import io.scgrn.models.perturb.Perturbation;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /api/v1/jobs/{id}/perturb}: in-silico perturbation of a finished network job's cells, run in the
 * background ({@link PerturbRuns}); poll {@code GET …/perturb/{run}} for status and, when done, the arrows, cells
 * and shifted genes; {@code GET …/perturb/{run}/genes.tsv} downloads the per-gene table. Bad requests are answered
 * at once (400); problems found in the data (TF not expressed, level out of range) make the run fail with the
 * one-line message and the status a direct request would get ({@code error_status}).
 */
final class PerturbHandlers {
    private static final Set<String> KEYS = Set.of("tf", "mode", "value", "steps", "groupby", "seed");
    private final ServerContext sc;
    private final PerturbRuns runs = new PerturbRuns();

    PerturbHandlers(ServerContext sc) {
        this.sc = sc;
    }

    void create(RoutingContext ctx) {
        String jobId = Http.path(ctx, "id");
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            throw ApiException.badRequest("request body is not a JSON object");
        }
        if (body == null) {
            throw ApiException.badRequest("request body is not a JSON object");
        }
        for (String k : body.fieldNames()) {
            if (!KEYS.contains(k)) {
                throw ApiException.badRequest("unknown field '" + k + "'; fields: " + String.join(", ",
                        new TreeSet<>(KEYS)));
            }
        }
        Perturbation p = perturbation(body);
        int steps = intField(body, "steps", PerturbOptions.STEPS, 1, 20);
        long seed = intField(body, "seed", 0, 0, Integer.MAX_VALUE);
        Object g = body.getValue("groupby");
        if (g != null && !(g instanceof String)) {
            throw ApiException.badRequest("'groupby' must be a string");
        }
        Http.blocking(ctx, () -> {
            // The job's record may have to be read from disk: on the worker.
            JsonObject job = sc.jobs().get(jobId).orElseThrow(() -> ApiException.notFound("job", jobId));
            if (!"done".equals(job.getString("status"))) {
                throw new ApiException(409, "job " + jobId + " is " + job.getString("status") + ": perturb a "
                        + "finished network");
            }
            String datasetId = job.getJsonObject("spec").getString("dataset");
            String groupby = g != null ? (String) g : job.getJsonObject("spec").getString("groupby");
            JsonObject meta = sc.workspace().datasetMeta(datasetId)
                    .orElseThrow(() -> ApiException.notFound("dataset", datasetId));
            // A perturbation reads the dataset: one whose arrays decode beyond the memory budget is refused (413).
            sc.datasets().budget().checkFits(MemoryBudget.declaredBytes(meta), "dataset '" + meta.getString("name")
                    + "'");
            Path file = sc.workspace().datasetFile(datasetId, meta);
            Path jobOut = sc.networks().outDir(jobId);
            String runId = Ids.newId();
            PerturbOptions defaults = PerturbOptions.defaults();
            PerturbRequest req = new PerturbRequest(file, jobOut, List.of(p), groupby == null || groupby.isBlank()
                    ? null : groupby, job.getJsonObject("spec").getString("layer"), null, null, steps,
                    defaults.maxRegulators(), defaults.neighbours(), seed,
                    sc.workspace().jobDir(jobId).resolve("perturb").resolve(runId));
            return runs.submit(jobId, req).toJson();
        }).onSuccess(run -> {
            ctx.response().putHeader("Location", "/api/v1/jobs/" + jobId + "/perturb/" + run.getString("id"));
            Http.json(ctx, 202, run);
        });
    }

    /** The run's state; with {@code ?wait=S} (≤ 60) the answer waits until the run ends or S seconds pass. */
    void get(RoutingContext ctx) {
        PerturbRuns.Run r = run(ctx);
        int wait = Http.intParam(ctx, "wait", 0, 0, 60);
        if (wait == 0 || r.finished.isDone()) {
            Http.json(ctx, r.toJson());
            return;
        }
        Context vc = ctx.vertx().getOrCreateContext();
        long timer = ctx.vertx().setTimer(wait * 1000L, t -> Http.json(ctx, r.toJson()));
        r.finished.whenComplete((v, e) -> vc.runOnContext(x -> {
            ctx.vertx().cancelTimer(timer);
            Http.json(ctx, r.toJson());
        }));
    }

    void genesTsv(RoutingContext ctx) {
        PerturbRuns.Run r = run(ctx);
        if (!"done".equals(r.status())) {
            throw new ApiException(409, "perturbation " + r.id + " is " + r.status());
        }
        Path file = r.request.outDir().resolve(PerturbPipeline.GENES);
        String tf = r.request.label().replaceAll("[^A-Za-z0-9._=+-]+", "_");
        ctx.response().putHeader("Content-Type", "text/tab-separated-values; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"perturb-" + tf + "-genes.tsv\"")
                .sendFile(file.toString());
    }

    private PerturbRuns.Run run(RoutingContext ctx) {
        String jobId = Http.path(ctx, "id");
        String runId = Http.path(ctx, "run");
        return runs.get(jobId, runId).orElseThrow(() -> ApiException.notFound("perturbation", runId));
    }

    private static Perturbation perturbation(JsonObject body) {
        Object tf = body.getValue("tf");
        if (!(tf instanceof String t) || t.isBlank()) {
            throw ApiException.badRequest("'tf' (the regulator to perturb) is required");
        }
        Object mode = body.getValue("mode", "ko");
        if ("ko".equals(mode)) {
            if (body.containsKey("value")) {
                throw ApiException.badRequest("'value' is only for mode 'set'");
            }
            return Perturbation.ko(t.trim());
        }
        if (!"set".equals(mode)) {
            throw ApiException.badRequest("'mode' must be 'ko' or 'set', not '" + mode + "'");
        }
        if (!(body.getValue("value") instanceof Number n)) {
            throw ApiException.badRequest("mode 'set' needs a numeric 'value' (log-normalised level)");
        }
        try {
            return Perturbation.set(t.trim(), n.doubleValue());
        } catch (ModelException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static int intField(JsonObject body, String key, int dflt, int min, int max) {
        Object v = body.getValue(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
                || n.doubleValue() > max) {
            throw ApiException.badRequest("'" + key + "' must be an integer in " + min + ".." + max + ", not " + v);
        }
        return n.intValue();
    }
}

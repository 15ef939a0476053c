package io.scgrn.app.server;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-cell values as Arrow IPC streams: embedding (x, y), obs columns, gene expression and a job's regulon
 * activity.
 */
final class CellHandlers {
    private final ServerContext sc;

    CellHandlers(ServerContext sc) {
        this.sc = sc;
    }

    void embedding(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        String basis = ctx.request().getParam("basis");
        Http.blocking(ctx, () -> {
            CellData.Embedding e = sc.datasets().usePrimary(id, a -> CellData.embedding(a, basis));
            Map<String, float[]> cols = new LinkedHashMap<>();
            cols.put("x", e.x());
            cols.put("y", e.y());
            return ArrowIpc.floats(sc.allocator(), cols, Map.of("basis", e.basis(), "kind", "embedding"));
        }).onSuccess(bytes -> Http.arrow(ctx, bytes));
    }

    void obs(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        String column = Http.path(ctx, "column");
        Http.blocking(ctx, () -> {
            CellData.CellColumn c = sc.datasets().use(id, md -> CellData.obs(md, Datasets.primary(md), column));
            Map<String, String> meta = Map.of("column", column);
            if (c.categorical()) {
                return ArrowIpc.categorical(sc.allocator(), c.codes(), c.categories(), meta);
            }
            Map<String, String> m = new LinkedHashMap<>(meta);
            m.put("kind", "numeric");
            return ArrowIpc.floats(sc.allocator(), Map.of("value", c.values()), m);
        }).onSuccess(bytes -> Http.arrow(ctx, bytes));
    }

    void expression(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        String gene = Http.path(ctx, "gene");
        Http.blocking(ctx, () -> {
            float[] values = sc.datasets().usePrimary(id, a -> {
                int g = CellData.geneIndex(a, gene);
                if (g < 0) {
                    throw new ApiException(404, "no gene '" + gene + "' in the dataset's var");
                }
                return CellData.expression(a, g);
            });
            return ArrowIpc.floats(sc.allocator(), Map.of("value", values), Map.of("kind", "numeric", "gene", gene));
        }).onSuccess(bytes -> Http.arrow(ctx, bytes));
    }

    /** Regulon activity of {@code tf} per cell: module score of its best targets in the job's network. */
    void activity(RoutingContext ctx) {
        String jobId = Http.path(ctx, "id");
        String tf = Http.path(ctx, "tf");
        String group = ctx.request().getParam("group");
        JobHandlers.withJob(ctx, sc, jobId, job -> activity(ctx, jobId, tf, group, job));
    }

    private void activity(RoutingContext ctx, String jobId, String tf, String group, JsonObject job) {
        int perTf = Http.intParam(ctx, "targets", job.getJsonObject("spec").getInteger("top_regulon_targets", 50),
                1, 10_000);
        String datasetId = job.getString("dataset");
        Http.blocking(ctx, () -> {
            LoadedNetwork n = sc.networks().load(jobId, group);
            List<Object[]> reg = Networks.regulon(n, tf, perTf);
            if (reg.isEmpty()) {
                throw new ApiException(404, "'" + tf + "' regulates nothing in this network");
            }
            List<String> targets = new ArrayList<>();
            List<Integer> signs = new ArrayList<>();
            for (Object[] r : reg) {
                targets.add((String) r[0]);
                signs.add((Integer) r[1]);
            }
            if (sc.workspace().datasetMeta(datasetId).isEmpty()) {
                throw new ApiException(410, "the job's dataset has been deleted");
            }
            float[] score = sc.datasets().usePrimary(datasetId, a -> CellData.moduleScore(a, targets, signs));
            return ArrowIpc.floats(sc.allocator(), Map.of("value", score), Map.of("kind", "numeric", "tf", tf,
                    "targets", Integer.toString(targets.size()), "method", "mean z-score of targets, sign-weighted"));
        }).onSuccess(bytes -> Http.arrow(ctx, bytes));
    }
}

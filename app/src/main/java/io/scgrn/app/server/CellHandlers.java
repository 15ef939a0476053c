package io.scgrn.app.server;

import io.scgrn.anndata.AnnData;
import io.scgrn.models.numerics.Sampling;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Per-cell values as Arrow IPC streams: embedding (x, y), obs columns, gene expression and a job's regulon
 * activity. Above {@code max_cells} cells (default {@value #DEFAULT_MAX_CELLS}; 0 = all) each answer carries the
 * same seeded uniform sample of cells, so that the columns of different requests line up, as cellxgene thins an
 * atlas for its scatter plot: a browser cannot usefully draw a million points, and a million-cell answer is 4–8 MB.
 */
final class CellHandlers {
    /** Cells per answer unless the request's {@code max_cells} says otherwise. */
    static final int DEFAULT_MAX_CELLS = 200_000;
    /** Seed of the cell sample: fixed, so every request (and every server) picks the same cells. */
    static final long SAMPLE_SEED = 0x5ce11L;

    private final ServerContext sc;

    CellHandlers(ServerContext sc) {
        this.sc = sc;
    }

    void embedding(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        String basis = ctx.request().getParam("basis");
        Http.blocking(ctx, () -> {
            Optional<StreamedCells.Source> src = sc.datasets().streamedX(id);
            CellData.Embedding e = sc.datasets().usePrimary(id, a -> {
                if (src.isPresent() && (basis == null || basis.equals("pca"))
                        && CellData.BASES.stream().noneMatch(a.obsm()::containsKey)) {
                    return computedPca(id, src.get(), a.nObs());
                }
                return CellData.embedding(a, basis);
            });
            int[] cells = cellSample(ctx, e.x().length);
            Map<String, float[]> cols = new LinkedHashMap<>();
            cols.put("x", pick(e.x(), cells));
            cols.put("y", pick(e.y(), cells));
            return ArrowIpc.floats(sc.allocator(), cols,
                    sampleMeta(Map.of("basis", e.basis(), "kind", "embedding"), cells, e.x().length));
        }).onSuccess(bytes -> Http.arrow(ctx, bytes));
    }

    void obs(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        String column = Http.path(ctx, "column");
        Http.blocking(ctx, () -> {
            CellData.CellColumn c = sc.datasets().use(id, md -> CellData.obs(md, Datasets.primary(md), column));
            int n = c.categorical() ? c.codes().length : c.values().length;
            int[] cells = cellSample(ctx, n);
            Map<String, String> meta = sampleMeta(Map.of("column", column), cells, n);
            if (c.categorical()) {
                return ArrowIpc.categorical(sc.allocator(), pick(c.codes(), cells), c.categories(), meta);
            }
            Map<String, String> m = new LinkedHashMap<>(meta);
            m.put("kind", "numeric");
            return ArrowIpc.floats(sc.allocator(), Map.of("value", pick(c.values(), cells)), m);
        }).onSuccess(bytes -> Http.arrow(ctx, bytes));
    }

    void expression(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        String gene = Http.path(ctx, "gene");
        Http.blocking(ctx, () -> {
            Optional<StreamedCells.Source> src = sc.datasets().streamedX(id);
            float[] values = sc.datasets().usePrimary(id, a -> {
                int g = CellData.geneIndex(a, gene);
                if (g < 0) {
                    throw new ApiException(404, "no gene '" + gene + "' in the dataset's var");
                }
                return src.isEmpty() ? CellData.expression(a, g)
                        : background(src.get().file() + "|expression|" + g, () -> streaming(4L * a.nObs(),
                                () -> StreamedCells.columns(src.get(), new int[] {g}).dense(0)),
                                "the expression of '" + gene + "' (a pass over X, streamed from the file)");
            });
            int[] cells = cellSample(ctx, values.length);
            return ArrowIpc.floats(sc.allocator(), Map.of("value", pick(values, cells)),
                    sampleMeta(Map.of("kind", "numeric", "gene", gene), cells, values.length));
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
            Optional<StreamedCells.Source> src = sc.datasets().streamedX(datasetId);
            float[] score = sc.datasets().usePrimary(datasetId, a -> src.isEmpty()
                    ? CellData.moduleScore(a, targets, signs) : streamedScore(a, src.get(), targets, signs));
            int[] cells = cellSample(ctx, score.length);
            return ArrowIpc.floats(sc.allocator(), Map.of("value", pick(score, cells)), sampleMeta(Map.of("kind",
                    "numeric", "tf", tf, "targets", Integer.toString(targets.size()), "method",
                    "mean z-score of targets, sign-weighted"), cells, score.length));
        }).onSuccess(bytes -> Http.arrow(ctx, bytes));
    }

    /**
     * The cells an answer of {@code nCells} values carries: {@code null} for all of them, else the ascending
     * {@link Sampling#sortedSample seeded uniform sample} of {@code max_cells} (400 when malformed).
     */
    static int[] cellSample(RoutingContext ctx, int nCells) {
        int max = Http.intParam(ctx, "max_cells", DEFAULT_MAX_CELLS, 0, Integer.MAX_VALUE);
        return cellSample(nCells, max);
    }

    /** {@code null} (all cells) when {@code max} is 0 or not below {@code nCells}, else the sample. */
    static int[] cellSample(int nCells, int max) {
        return max == 0 || nCells <= max ? null : Sampling.sortedSample(nCells, max, SAMPLE_SEED);
    }

    static float[] pick(float[] v, int[] cells) {
        if (cells == null) {
            return v;
        }
        float[] out = new float[cells.length];
        for (int i = 0; i < cells.length; i++) {
            out[i] = v[cells[i]];
        }
        return out;
    }

    static int[] pick(int[] v, int[] cells) {
        if (cells == null) {
            return v;
        }
        int[] out = new int[cells.length];
        for (int i = 0; i < cells.length; i++) {
            out[i] = v[cells[i]];
        }
        return out;
    }

    /** {@code meta} plus, for a sample, {@code cells_total} (the dataset's cells) and {@code sample}. */
    static Map<String, String> sampleMeta(Map<String, String> meta, int[] cells, int nCells) {
        if (cells == null) {
            return meta;
        }
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.put("cells_total", Integer.toString(nCells));
        m.put("sample", "seeded uniform sample of " + cells.length + " cells (max_cells), the same for every "
                + "per-cell request with this max_cells");
        return m;
    }

    /**
     * Results computed by streaming X (embeddings, gene columns, regulon activities) by dataset file and request, the
     * last eight kept (an embedding or a gene of a million cells is 4–8 MB). Shared by every verticle instance
     * (each has its own handlers), so a request that arrives while the same result is being computed waits for
     * that computation instead of starting another, and asking again later gets the kept result.
     */
    private static final Map<String, CompletableFuture<?>> STREAMED =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<?>> e) {
                    return size() > 8;
                }
            };

    /** Runs the streamed computations, one at a time (each is a pass over X), apart from the requests. */
    private static final ExecutorService STREAMER = Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "scgrn-streamed-cells");
                t.setDaemon(true);
                return t;
            });

    /**
     * Longest a request waits for a streamed result before it is told to come back: under the 90 s request limit
     * and under Vert.x's 60 s blocked-worker warning (at 60 s each such wait logged a "Thread blocked" stack).
     */
    static final long STREAMED_WAIT_S = 50;

    private CellData.Embedding computedPca(String id, StreamedCells.Source src, int nCells) {
        return background(src.file() + "|embedding", () -> streaming(StreamedCells.pcaBytes(src),
                () -> StreamedCells.pca(src, 0x5c9)), String.format(Locale.ROOT,
                "the embedding of these %,d cells (a PCA of X, streamed from the file)", nCells));
    }

    /**
     * The result of {@code work} for {@code key}: kept, being computed (waits up to {@link #STREAMED_WAIT_S}), or
     * started now on the streaming thread; 503 with Retry-After when it is not ready in time (it carries on, and a
     * later request gets it).
     */
    @SuppressWarnings("unchecked")
    private static <T> T background(String key, Supplier<T> work, String what) {
        CompletableFuture<T> f;
        synchronized (STREAMED) {
            f = (CompletableFuture<T>) STREAMED.get(key);
            if (f == null || f.isCompletedExceptionally()) {
                f = CompletableFuture.supplyAsync(work, STREAMER);
                STREAMED.put(key, f);
            }
        }
        try {
            return f.get(STREAMED_WAIT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(503, what + " is being computed; try again in a minute", 30);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while waiting for " + what);
        }
    }

    private float[] streamedScore(AnnData a, StreamedCells.Source src, List<String> targets,
                                  List<Integer> signs) {
        List<Integer> genes = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            int g = CellData.geneIndex(a, targets.get(t));
            if (g >= 0) {
                genes.add(g);
                kept.add(signs.get(t));
            }
        }
        int[] g = genes.stream().mapToInt(Integer::intValue).toArray();
        int[] s = kept.stream().mapToInt(Integer::intValue).toArray();
        return background(src.file() + "|activity|" + genes + "|" + kept, () -> streaming(12L * a.nObs(),
                () -> StreamedCells.moduleScore(src, g, s)), "this regulon's activity (a pass over X, streamed "
                + "from the file)");
    }

    /**
     * Runs a streamed computation with its working memory (one decoded block plus {@code answerBytes}) reserved
     * in the server's memory budget: 503 when that memory is taken by other requests and jobs now.
     */
    private <T> T streaming(long answerBytes, Supplier<T> work) {
        MemoryBudget budget = sc.datasets().budget();
        long bytes = StreamedCells.workingBytes() + answerBytes;
        budget.checkFits(bytes, "streaming this dataset");
        if (!budget.tryReserve(bytes)) {
            sc.datasets().dropIdle();
            if (!budget.tryReserve(bytes)) {
                throw new ApiException(503, "the server's memory for loaded data is in use by other requests and "
                        + "jobs; try again shortly");
            }
        }
        try {
            return work.get();
        } finally {
            budget.release(bytes);
        }
    }
}

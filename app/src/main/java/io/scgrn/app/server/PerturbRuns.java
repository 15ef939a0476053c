package io.scgrn.app.server;

import io.scgrn.anndata.AnnDataException;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.app.run.PerturbPipeline;
import io.scgrn.app.run.PerturbRequest;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.perturb.Perturbation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-silico perturbation runs of finished network jobs: one worker thread fed by a bounded queue (the event loop
 * only routes), outputs in {@code jobs/<job>/perturb/<run>/} as {@code scgrn perturb} writes them. Run states live
 * in memory; the output folders stay on disk.
 */
final class PerturbRuns {
    private static final Logger LOG = LoggerFactory.getLogger(PerturbRuns.class);
    /** Most cells returned for plotting; larger datasets are thinned evenly (arrows use every cell). */
    static final int MAX_PLOT_CELLS = 20_000;
    /** Genes returned in the shift table (the TSV export has all). */
    static final int MAX_GENES = 200;

    /**
     * Finished runs whose state (with its plotting summary, up to {@link #MAX_PLOT_CELLS} cells) stays in memory;
     * older ones are forgotten (404), their output folders stay on disk.
     */
    static final int KEEP_FINISHED = 32;

    private final ThreadPoolExecutor pool;
    /** In submission order; guarded by itself. */
    private final Map<String, Run> runs = new LinkedHashMap<>();

    PerturbRuns() {
        pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8), r -> {
            Thread t = new Thread(r, "scgrn-perturb");
            t.setDaemon(true);
            return t;
        });
    }

    /** One run's state; synchronized. */
    static final class Run implements Progress {
        final String id;
        final String jobId;
        final PerturbRequest request;
        private String status = "queued";
        private String phase;
        private double fraction = Double.NaN;
        private String error;
        private int errorStatus;
        private JsonObject result;
        private final String created = Instant.now().toString();
        /** Completes when the run reaches a terminal status (for long-polling GETs). */
        final CompletableFuture<Void> finished = new CompletableFuture<>();

        Run(String id, String jobId, PerturbRequest request) {
            this.id = id;
            this.jobId = jobId;
            this.request = request;
        }

        @Override
        public synchronized void phase(String name) {
            phase = name;
            fraction = Double.NaN;
        }

        @Override
        public synchronized void fraction(double done) {
            fraction = done;
        }

        synchronized void set(String s, String err, int errStatus, JsonObject res) {
            status = s;
            error = err;
            errorStatus = errStatus;
            result = res;
            if (!s.equals("queued") && !s.equals("running")) {
                finished.complete(null);
            }
        }

        synchronized String status() {
            return status;
        }

        synchronized JsonObject toJson() {
            return new JsonObject().put("id", id).put("job", jobId).put("status", status).put("phase", phase)
                    .put("fraction", Double.isFinite(fraction) ? fraction : null).put("created", created)
                    .put("perturbations", new JsonArray(request.perturbations().stream()
                            .map(Perturbation::label).toList()))
                    .put("error", error).put("error_status", errorStatus == 0 ? null : errorStatus)
                    .put("result", result);
        }
    }

    Run submit(String jobId, PerturbRequest request) {
        Run run = new Run(Ids.newId(), jobId, request);
        synchronized (runs) {
            runs.put(run.id, run);
            long done = runs.values().stream().filter(r -> r.finished.isDone()).count();
            var it = runs.values().iterator();
            while (done > KEEP_FINISHED && it.hasNext()) {
                if (it.next().finished.isDone()) {
                    it.remove();
                    done--;
                }
            }
        }
        try {
            pool.execute(() -> execute(run));
        } catch (RejectedExecutionException e) {
            synchronized (runs) {
                runs.remove(run.id);
            }
            throw ApiException.tooManyRequests("perturbation queue is full; try later", JobManager.RETRY_AFTER_S);
        }
        return run;
    }

    Optional<Run> get(String jobId, String id) {
        Run r;
        synchronized (runs) {
            r = runs.get(id);
        }
        return r == null || !r.jobId.equals(jobId) ? Optional.empty() : Optional.of(r);
    }

    private void execute(Run run) {
        run.set("running", null, 0, null);
        try {
            PerturbPipeline.Result r = new PerturbPipeline().execute(run.request, run);
            run.set("done", null, 0, summary(r));
        } catch (BadRequestException e) {
            run.set("failed", e.getMessage(), 400, null);
        } catch (AnnDataException | ModelException e) {
            run.set("failed", e.getMessage(), 422, null);
        } catch (CancellationException e) {
            run.set("cancelled", "cancelled", 0, null);
        } catch (RuntimeException | Error e) {
            LOG.error("perturbation {} of job {} failed", run.id, run.jobId, e);
            run.set("failed", "internal error: " + e.getMessage(), 500, null);
        }
    }

    /** What the UI draws: arrows, (thinned) cells with their vectors, the top shifted genes, group summaries. */
    static JsonObject summary(PerturbPipeline.Result r) {
        JsonObject out = new JsonObject().put("n_cells", r.nCells()).put("n_genes", r.nGenes())
                .put("embedding", r.embeddingName()).put("seconds", r.seconds());
        try {
            JsonArray arrows = new JsonArray();
            for (String[] f : rows(r.outDir().resolve(PerturbPipeline.ARROWS), Integer.MAX_VALUE)) {
                arrows.add(new JsonArray().add(d(f[0])).add(d(f[1])).add(d(f[2])).add(d(f[3])).add(d(f[4])));
            }
            out.put("arrows", arrows);
            int stride = Math.max(1, (r.nCells() + MAX_PLOT_CELLS - 1) / MAX_PLOT_CELLS);
            JsonArray x = new JsonArray();
            JsonArray y = new JsonArray();
            JsonArray group = new JsonArray();
            JsonArray shift = new JsonArray();
            int i = 0;
            for (String[] f : rows(r.outDir().resolve(PerturbPipeline.CELLS), Integer.MAX_VALUE)) {
                if (i++ % stride == 0) {
                    group.add(f[1]);
                    x.add(d(f[2]));
                    y.add(d(f[3]));
                    shift.add(d(f[6]));
                }
            }
            out.put("cells", new JsonObject().put("x", x).put("y", y).put("group", group).put("shift", shift));
            JsonArray genes = new JsonArray();
            for (String[] f : rows(r.outDir().resolve(PerturbPipeline.GENES), MAX_GENES)) {
                genes.add(new JsonObject().put("gene", f[0]).put("role", f[1]).put("mean_x", d(f[2]))
                        .put("mean_delta", d(f[3])).put("mean_abs_delta", d(f[4])).put("log2fc", d(f[5])));
            }
            out.put("genes", genes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonArray groups = new JsonArray();
        r.groups().forEach(g -> groups.add(new JsonObject().put("group", g.group()).put("cells", g.cells())
                .put("mean_shift", g.meanShift()).put("mean_dx", g.meanDx()).put("mean_dy", g.meanDy())
                .put("to_group", g.toGroup().isEmpty() ? null : g.toGroup()).put("to_flow", g.toFlow())));
        return out.put("groups", groups).put("out", r.outDir().toString());
    }

    private static Double d(String s) {
        double v = Double.parseDouble(s);
        return Double.isFinite(v) ? v : null;
    }

    private static List<String[]> rows(Path tsv, int max) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null && out.size() < max) {
                out.add(line.split("\t", -1));
            }
        }
        return out;
    }
}

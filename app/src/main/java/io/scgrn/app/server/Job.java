package io.scgrn.app.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One job's live state. Mutated by its worker thread through {@link JobManager}, read by request handlers: every
 * access is synchronized, and {@link #toJson()} takes a consistent snapshot.
 */
final class Job {
    /** Statuses after which nothing changes any more. */
    static final Set<String> TERMINAL = Set.of("done", "failed", "cancelled", "interrupted");
    /** Most loss points kept for the loss curve; older points are thinned out beyond it. */
    private static final int MAX_LOSSES = 2000;

    private final String id;
    private final JobSpec spec;
    private final String datasetName;
    private final long inputBytes;
    private String created;
    private String status;
    private String phase;
    private int epoch;
    private int epochs;
    private double loss = Double.NaN;
    private double fraction = Double.NaN;
    private double etaSeconds = Double.NaN;
    private String started;
    private String finished;
    private String error;
    private JsonObject result;
    private long phaseStartNanos;
    private volatile boolean cancelRequested;
    private final List<double[]> losses = new ArrayList<>();
    private int lossStride = 1;
    private int lossSeen;

    Job(String id, JobSpec spec, String datasetName) {
        this(id, spec, datasetName, 0);
    }

    /** @param inputBytes declared decoded size of the input, reserved in the memory budget while it runs */
    Job(String id, JobSpec spec, String datasetName, long inputBytes) {
        this.id = id;
        this.spec = spec;
        this.datasetName = datasetName;
        this.inputBytes = inputBytes;
        this.created = Instant.now().toString();
        this.status = "queued";
    }

    /** A job read back from its job.json (a previous server run's; never runs again). */
    static Job fromJson(JsonObject j) {
        JobSpec spec = JobSpec.fromJson(j.getJsonObject("spec", new JsonObject().put("dataset", "-")));
        Job job = new Job(j.getString("id"), spec, j.getString("dataset_name"));
        synchronized (job) {
            job.status = j.getString("status", "interrupted");
            job.phase = j.getString("phase");
            job.epoch = j.getInteger("epoch", 0);
            job.epochs = j.getInteger("epochs", 0);
            job.loss = num(j.getValue("loss"));
            job.started = j.getString("started");
            job.finished = j.getString("finished");
            job.error = j.getString("error");
            job.result = j.getJsonObject("result");
            job.created = j.getString("created", job.created);
            JsonArray ls = j.getJsonArray("losses", new JsonArray());
            for (int i = 0; i < ls.size(); i++) {
                JsonArray p = ls.getJsonArray(i);
                job.losses.add(new double[] {p.getDouble(0), num(p.getValue(1))});
            }
        }
        return job;
    }

    String id() {
        return id;
    }

    JobSpec spec() {
        return spec;
    }

    long inputBytes() {
        return inputBytes;
    }

    synchronized String status() {
        return status;
    }

    synchronized boolean terminal() {
        return TERMINAL.contains(status);
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    synchronized void start() {
        status = "running";
        started = Instant.now().toString();
        phaseStartNanos = System.nanoTime();
    }

    synchronized void finish(String newStatus, String err, JsonObject res) {
        status = newStatus;
        error = Errors.clientSafe(err);
        result = res;
        finished = Instant.now().toString();
        etaSeconds = Double.NaN;
        if ("done".equals(newStatus)) {
            fraction = 1.0;
        }
    }

    synchronized void phase(String name) {
        phase = name;
        phaseStartNanos = System.nanoTime();
        epoch = 0;
        epochs = 0;
        fraction = Double.NaN;
        etaSeconds = Double.NaN;
    }

    synchronized void epoch(int e, int total, double l) {
        epoch = e;
        epochs = total;
        loss = l;
        if (total > 0) {
            fraction = Math.min(1.0, (double) e / total);
            updateEta();
        }
        lossSeen++;
        if (lossSeen % lossStride == 0) {
            losses.add(new double[] {e, l});
            if (losses.size() > MAX_LOSSES) {
                // Keep every other point: the curve keeps its shape at half the resolution.
                List<double[]> thin = new ArrayList<>(losses.size() / 2 + 1);
                for (int i = 0; i < losses.size(); i += 2) {
                    thin.add(losses.get(i));
                }
                losses.clear();
                losses.addAll(thin);
                lossStride *= 2;
            }
        }
    }

    synchronized void fraction(double f) {
        fraction = Math.max(0, Math.min(1, f));
        updateEta();
    }

    private void updateEta() {
        double elapsed = (System.nanoTime() - phaseStartNanos) / 1e9;
        etaSeconds = fraction > 0 && fraction < 1 ? elapsed / fraction * (1 - fraction) : Double.NaN;
    }

    synchronized JsonObject toJson() {
        JsonObject j = new JsonObject().put("id", id).put("dataset", spec.dataset()).put("dataset_name", datasetName)
                .put("model", spec.model()).put("status", status).put("phase", phase).put("epoch", epoch)
                .put("epochs", epochs).put("loss", finite(loss)).put("fraction", finite(fraction))
                .put("eta_s", finite(etaSeconds)).put("created", created)
                .put("started", started).put("finished", finished).put("error", error)
                .put("spec", spec.toJson()).put("result", result);
        JsonArray ls = new JsonArray();
        for (double[] p : losses) {
            ls.add(new JsonArray().add((int) p[0]).add(finite(p[1])));
        }
        return j.put("losses", ls);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}

package io.scgrn.app.batch;

import io.scgrn.models.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The {@link Progress} one task's pipeline reports to: keeps the current phase / epoch / loss for the progress
 * display, records every epoch's loss (written to {@code loss.tsv} for the report's loss curves) and the time spent
 * per phase (for the manifest), and turns a batch cancellation into a {@link CancellationException} at the next
 * callback, so that a pipeline stops at its next progress report even where it does not poll {@link #cancelled()}.
 */
public final class TaskProgress implements Progress {
    /**
     * What a progress bar shows.
     *
     * @param phase      current phase, or "setup"
     * @param epoch      last finished epoch (0 when none)
     * @param total      epochs in this training run (0 when not training)
     * @param loss       last loss (NaN when none)
     * @param fraction   fraction done within the phase, 0..1 (from epochs when training)
     * @param elapsed    seconds since the task started
     * @param eta        estimated seconds left in this phase, NaN when unknown
     */
    public record Snapshot(String phase, int epoch, int total, double loss, double fraction, double elapsed,
                           double eta) {
    }

    /**
     * One recorded epoch.
     *
     * @param phase phase it belongs to (groups may each train: the loss curve restarts)
     * @param run   index of the training run within the task (increments when epochs restart)
     * @param epoch epoch number as reported
     * @param total epochs of that run
     * @param loss  loss
     */
    public record LossPoint(String phase, int run, int epoch, int total, double loss) {
    }

    private final TaskSpec task;
    private final BooleanSupplier cancelled;
    private final BatchListener listener;
    private final long start = System.nanoTime();
    private final List<LossPoint> losses = new ArrayList<>();
    private final Map<String, Double> phaseSeconds = new LinkedHashMap<>();
    private String phase = "setup";
    private long phaseStart = start;
    private int epoch;
    private int total;
    private double loss = Double.NaN;
    private double fraction;
    private int run;

    /**
     * @param task      the task reporting
     * @param cancelled whether the batch was cancelled
     * @param listener  told of phases and epochs (for log-line output)
     */
    public TaskProgress(TaskSpec task, BooleanSupplier cancelled, BatchListener listener) {
        this.task = task;
        this.cancelled = cancelled;
        this.listener = listener;
    }

    @Override
    public void phase(String name) {
        checkCancelled();
        synchronized (this) {
            closePhase(System.nanoTime());
            phase = name;
            epoch = 0;
            total = 0;
            fraction = 0;
        }
        listener.taskPhase(task, name);
    }

    @Override
    public void epoch(int epoch, int total, double loss) {
        checkCancelled();
        synchronized (this) {
            if (epoch <= this.epoch && !losses.isEmpty()) {
                run++; // a new training run (next group or ensemble member) restarts its epochs
            }
            this.epoch = epoch;
            this.total = total;
            this.loss = loss;
            this.fraction = total > 0 ? Math.min(1.0, (double) epoch / total) : fraction;
            losses.add(new LossPoint(phase, run, epoch, total, loss));
        }
        listener.taskEpoch(task, epoch, total, loss);
    }

    @Override
    public void fraction(double done) {
        checkCancelled();
        synchronized (this) {
            fraction = Math.max(0, Math.min(1, done));
        }
    }

    @Override
    public boolean cancelled() {
        return cancelled.getAsBoolean();
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("batch cancelled");
        }
    }

    /** The current state (thread-safe). */
    public synchronized Snapshot snapshot() {
        long now = System.nanoTime();
        double inPhase = (now - phaseStart) / 1e9;
        double eta = fraction > 0.01 ? inPhase / fraction * (1 - fraction) : Double.NaN;
        return new Snapshot(phase, epoch, total, loss, fraction, (now - start) / 1e9, eta);
    }

    /** Every epoch recorded so far. */
    public synchronized List<LossPoint> losses() {
        return List.copyOf(losses);
    }

    /** Seconds per phase, the running phase included up to now. */
    public synchronized Map<String, Double> phaseSeconds() {
        Map<String, Double> out = new LinkedHashMap<>(phaseSeconds);
        double current = (System.nanoTime() - phaseStart) / 1e9;
        if (!"setup".equals(phase) || current > 0.0005) {
            out.merge(phase, current, Double::sum);
        }
        return out;
    }

    private void closePhase(long now) {
        if (!"setup".equals(phase) || now - phaseStart > 500_000) {
            phaseSeconds.merge(phase, (now - phaseStart) / 1e9, Double::sum);
        }
        phaseStart = now;
    }
}

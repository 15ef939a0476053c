package io.scgrn.app.server;

import io.scgrn.anndata.AnnDataException;
import io.scgrn.app.run.BadRequestException;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs inference jobs on a small pool of worker threads fed by a bounded queue, so the event loop only routes.
 * Each job's state is kept in memory, persisted to {@code jobs/<id>/job.json} on every status change (and at most
 * every two seconds while it runs), logged to {@code job.log}, and published on the event bus address
 * {@link #address(String)} for server-sent events.
 */
public final class JobManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);
    private static final long PERSIST_EVERY_NANOS = 2_000_000_000L;
    private static final long PUBLISH_EVERY_NANOS = 100_000_000L;

    private final Vertx vertx;
    private final Workspace workspace;
    private final JobExecutor executor;
    private final long delayMs;
    private final ThreadPoolExecutor pool;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, Runnable> queued = new ConcurrentHashMap<>();
    private volatile boolean closing;

    /**
     * @param workers  jobs running at the same time
     * @param capacity jobs that may wait; a submission beyond it is refused with 503
     * @param delayMs  test hook (see {@link ServerConfig#jobDelayMs()})
     */
    public JobManager(Vertx vertx, Workspace workspace, JobExecutor executor, int workers, int capacity,
                      long delayMs) {
        this.vertx = vertx;
        this.workspace = workspace;
        this.executor = executor;
        this.delayMs = delayMs;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(capacity), r -> {
                    Thread t = new Thread(r, "scgrn-job-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        for (JsonObject j : workspace.jobs()) {
            try {
                Job job = Job.fromJson(j);
                jobs.put(job.id(), job);
            } catch (RuntimeException e) {
                LOG.warn("ignoring job.json of {}: {}", j.getString("id"), e.getMessage());
            }
        }
    }

    /** Event bus address where job {@code id}'s snapshots are published. */
    public static String address(String id) {
        return "scgrn.job." + id;
    }

    /** Queues a job on dataset file {@code input}; 503 when the queue is full. */
    public JsonObject submit(JobSpec spec, Path input, String datasetName) {
        String id = Ids.newId();
        Job job = new Job(id, spec, datasetName);
        Path dir = workspace.jobDir(id);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir, e);
        }
        persist(job);
        log(job, "queued: " + spec.toJson().encode());
        jobs.put(id, job);
        Runnable task = () -> runJob(job, input);
        queued.put(id, task);
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            queued.remove(id);
            job.finish("failed", "job queue full", null);
            persist(job);
            throw new ApiException(503, "job queue is full (" + pool.getQueue().size() + " waiting); try later");
        }
        return job.toJson();
    }

    public Optional<JsonObject> get(String id) {
        Job j = jobs.get(id);
        return j == null ? Optional.empty() : Optional.of(j.toJson());
    }

    /** All jobs, newest first, without loss curves. */
    public List<JsonObject> list() {
        List<JsonObject> out = new ArrayList<>();
        for (Job j : jobs.values()) {
            JsonObject o = j.toJson();
            o.remove("losses");
            out.add(o);
        }
        out.sort((a, b) -> b.getString("created", "").compareTo(a.getString("created", "")));
        return out;
    }

    /** Cancels a queued or running job; returns its state, or empty for an unknown id. */
    public Optional<JsonObject> cancel(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            return Optional.empty();
        }
        job.requestCancel();
        Runnable task = queued.remove(id);
        if (task != null && pool.remove(task)) {
            job.finish("cancelled", "cancelled before it started", null);
            log(job, "cancelled while queued");
            changed(job, true);
        }
        return Optional.of(job.toJson());
    }

    /** True when the job exists and has finished (done, failed, cancelled, interrupted). */
    public boolean terminal(String id) {
        Job j = jobs.get(id);
        return j != null && j.terminal();
    }

    /** Jobs running right now. */
    public int running() {
        return pool.getActiveCount();
    }

    private void runJob(Job job, Path input) {
        queued.remove(job.id());
        if (closing || job.cancelRequested()) {
            job.finish(closing ? "interrupted" : "cancelled", closing ? "server stopped" : "cancelled", null);
            changed(job, true);
            return;
        }
        job.start();
        log(job, "running");
        changed(job, true);
        Path out = workspace.jobDir(job.id()).resolve(Workspace.OUT);
        try {
            holdForTests(job);
            JsonObject result = executor.run(job.spec(), input, out, new JobProgress(job));
            if (job.cancelRequested()) {
                throw new CancellationException("cancelled");
            }
            job.finish("done", null, result);
            log(job, "done: " + result.encode());
        } catch (CancellationException e) {
            job.finish(closing ? "interrupted" : "cancelled", closing ? "server stopped" : "cancelled", null);
            log(job, job.status());
        } catch (AnnDataException | ModelException | BadRequestException e) {
            job.finish("failed", oneLine(e.getMessage()), null);
            log(job, "failed: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.error("job {} failed", job.id(), e);
            job.finish("failed", "internal error: " + oneLine(String.valueOf(e.getMessage())), null);
            log(job, "failed: " + e);
        }
        changed(job, true);
    }

    private void holdForTests(Job job) {
        long until = System.nanoTime() + delayMs * 1_000_000L;
        while (System.nanoTime() < until) {
            if (job.cancelRequested() || closing) {
                throw new CancellationException("cancelled");
            }
            try {
                Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000L)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
        }
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Persists and publishes a job's state; {@code force} skips the throttle. */
    private void changed(Job job, boolean force) {
        JsonObject snap = job.toJson();
        if (force) {
            persist(snap, job.id());
        }
        vertx.eventBus().publish(address(job.id()), snap);
    }

    private void persist(Job job) {
        persist(job.toJson(), job.id());
    }

    private void persist(JsonObject snap, String id) {
        try {
            Workspace.writeJson(workspace.jobDir(id).resolve(Workspace.JOB), snap);
        } catch (RuntimeException e) {
            LOG.warn("cannot persist job {}: {}", id, e.getMessage());
        }
    }

    private void log(Job job, String line) {
        Path f = workspace.jobDir(job.id()).resolve(Workspace.JOB_LOG);
        try {
            Files.writeString(f, Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("cannot append to {}: {}", f, e.getMessage());
        }
    }

    /** A job's log file (may not exist yet). */
    public Path logFile(String id) {
        return workspace.jobDir(id).resolve(Workspace.JOB_LOG);
    }

    /**
     * Stops taking jobs, cancels running ones (they end as interrupted) and waits up to {@code waitMs} for the
     * workers.
     */
    public void close(long waitMs) {
        closing = true;
        for (Job j : jobs.values()) {
            if (!j.terminal()) {
                j.requestCancel();
            }
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job j : jobs.values()) {
            if (!j.terminal()) {
                j.finish("interrupted", "server stopped", null);
                persist(j);
            }
        }
    }

    @Override
    public void close() {
        close(10_000);
    }

    /** Progress of one job: updates its state, throttles persistence and events. */
    private final class JobProgress implements Progress {
        private final Job job;
        private long lastPersist = System.nanoTime();
        private long lastPublish;
        private long lastLog;

        JobProgress(Job job) {
            this.job = job;
        }

        @Override
        public synchronized void phase(String name) {
            job.phase(name);
            log(job, "phase " + name);
            changed(job, false);
        }

        @Override
        public synchronized void epoch(int epoch, int total, double loss) {
            job.epoch(epoch, total, loss);
            long now = System.nanoTime();
            if (now - lastLog > 1_000_000_000L || epoch == total) {
                lastLog = now;
                log(job, "epoch " + epoch + "/" + total + " loss " + loss);
            }
            tick(now);
        }

        @Override
        public synchronized void fraction(double done) {
            job.fraction(done);
            tick(System.nanoTime());
        }

        private void tick(long now) {
            if (now - lastPublish >= PUBLISH_EVERY_NANOS) {
                lastPublish = now;
                boolean persistNow = now - lastPersist >= PERSIST_EVERY_NANOS;
                if (persistNow) {
                    lastPersist = now;
                }
                changed(job, persistNow);
            }
        }

        @Override
        public boolean cancelled() {
            return job.cancelRequested() || closing;
        }
    }
}

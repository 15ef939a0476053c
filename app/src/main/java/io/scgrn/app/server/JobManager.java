package io.scgrn.app.server;

import io.scgrn.anndata.AnnDataException;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.app.run.FileTrees;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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
    /** Seconds a client refused for a full queue is told to wait (Retry-After). */
    static final int RETRY_AFTER_S = 5;

    private final Vertx vertx;
    private final Workspace workspace;
    private final JobExecutor executor;
    private final ThreadPoolExecutor pool;
    /**
     * Jobs the executor calls exclusive (neural models trained with DJL: its gradient collector and random seed are
     * process-global) run here one at a time, as in batch, so that two never collide and each starts from its own
     * seed whatever else runs.
     */
    private final ThreadPoolExecutor lane;
    private final MemoryBudget budget;
    /** Held while a job is submitted and while a dataset is deleted, so neither sees the other half-done. */
    private final Object datasetLock = new Object();
    private final JobStore jobs;
    private final Map<String, Runnable> queued = new ConcurrentHashMap<>();
    private volatile boolean closing;

    /**
     * @param workers  jobs running at the same time
     * @param capacity jobs that may wait; a submission beyond it is refused with 429
     */
    public JobManager(Vertx vertx, Workspace workspace, JobExecutor executor, int workers, int capacity) {
        this(vertx, workspace, executor, workers, capacity,
                new MemoryBudget(ServerConfig.Limits.defaults().decodeBudget()));
    }

    /** @param budget memory for decoded arrays, shared with the per-cell endpoints; each job reserves its input's */
    public JobManager(Vertx vertx, Workspace workspace, JobExecutor executor, int workers, int capacity,
                      MemoryBudget budget) {
        this.vertx = vertx;
        this.workspace = workspace;
        this.executor = executor;
        this.budget = budget;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "scgrn-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(capacity), threads);
        this.lane = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity), threads);
        this.jobs = new JobStore(workspace);
        for (JsonObject j : workspace.jobs()) {
            try {
                Job job = Job.fromJson(j);
                jobs.add(job);
            } catch (RuntimeException e) {
                LOG.warn("ignoring job.json of {}: {}", j.getString("id"), e.getMessage());
            }
        }
    }

    /** Event bus address where job {@code id}'s snapshots are published. */
    public static String address(String id) {
        return "scgrn.job." + id;
    }

    /** Queues a job on dataset file {@code input}; 429 when the queue is full. */
    public JsonObject submit(JobSpec spec, Path input, String datasetName) {
        return submit(spec, input, datasetName, 0);
    }

    /**
     * Queues a job on dataset file {@code input}, whose arrays decode to about {@code inputBytes}. Everything the
     * client can get wrong is checked first ({@link JobExecutor#validate}: 400; input larger than the memory
     * budget: 413), and a full queue (429: the client submits faster than jobs run) leaves no job record behind.
     */
    public JsonObject submit(JobSpec spec, Path input, String datasetName, long inputBytes) {
        executor.validate(spec);
        budget.checkFits(inputBytes, "dataset '" + datasetName + "'");
        boolean exclusive = executor.exclusive(spec);
        String id = Ids.newId();
        Job job = new Job(id, spec, datasetName, inputBytes);
        Path dir = workspace.jobDir(id);
        synchronized (datasetLock) {
            if (!Files.isRegularFile(input)) {
                throw ApiException.notFound("dataset", spec.dataset());
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create job folder", e);
            }
            persist(job);
            log(job, "queued" + (exclusive ? " (one-at-a-time lane)" : "") + ": " + spec.toJson().encode());
            jobs.add(job);
            Runnable task = () -> runJob(job, input);
            queued.put(id, task);
            ThreadPoolExecutor target = exclusive ? lane : pool;
            try {
                target.execute(task);
            } catch (RejectedExecutionException e) {
                // Refused: no trace of the job is left (memory or disk).
                queued.remove(id);
                jobs.remove(id);
                FileTrees.deleteQuietly(dir);
                throw ApiException.tooManyRequests("job queue is full (" + target.getQueue().size()
                        + " waiting); try later", RETRY_AFTER_S);
            }
        }
        return job.toJson();
    }

    /**
     * Deletes dataset {@code id} with {@code delete} unless a queued or running job reads it: 409 then, so no job
     * loses its input half-way.
     */
    public boolean deleteDatasetIfIdle(String id, BooleanSupplier delete) {
        synchronized (datasetLock) {
            List<String> active = jobs.active().stream()
                    .filter(j -> !j.terminal() && id.equals(j.spec().dataset())).map(Job::id).toList();
            if (!active.isEmpty()) {
                throw new ApiException(409, "dataset " + id + " is the input of " + active.size()
                        + " queued or running job(s) (" + String.join(", ", active) + "); cancel them first");
            }
            return delete.getAsBoolean();
        }
    }

    /**
     * A job's state; a finished job that is no longer held in memory is read from its job.json (blocking: on the
     * event loop, try {@link #inMemory} first).
     */
    public Optional<JsonObject> get(String id) {
        return jobs.get(id);
    }

    /** A job's state when it is held in memory (queued, running, or finished and recently used), else null. */
    public JsonObject inMemory(String id) {
        return jobs.inMemory(id);
    }

    /** A job's status when it is held in memory, else null (no snapshot is built: for hot paths). */
    public String statusInMemory(String id) {
        return jobs.statusInMemory(id);
    }

    /**
     * Jobs newest first (only those of {@code dataset} when not null), a page at a time, without loss curves; reads
     * the records of older jobs from disk (blocking).
     */
    public JobStore.Page page(String dataset, int offset, int limit) {
        return jobs.page(dataset, offset, limit);
    }

    /** How many finished jobs stay in memory (the rest are read from disk when asked for). */
    public void keepFinished(int n) {
        jobs.keepFinished(n);
    }

    /** Cancels a queued or running job; returns its state, or empty for an unknown id. */
    public Optional<JsonObject> cancel(String id) {
        Job job = jobs.live(id);
        if (job == null) {
            return jobs.get(id); // finished (or unknown): nothing to cancel
        }
        job.requestCancel();
        Runnable task = queued.remove(id);
        if (task != null && (pool.remove(task) || lane.remove(task))) {
            job.finish("cancelled", "cancelled before it started", null);
            log(job, "cancelled while queued");
            changed(job, true);
        }
        return Optional.of(job.toJson());
    }

    /** True when the job exists and has finished (done, failed, cancelled, interrupted). */
    public boolean terminal(String id) {
        return jobs.get(id).map(j -> Job.TERMINAL.contains(j.getString("status"))).orElse(false);
    }

    /** Jobs waiting for a worker right now. */
    public int queued() {
        return queued.size();
    }

        /** Jobs running right now. */
    public int running() {
        return pool.getActiveCount() + lane.getActiveCount();
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
        boolean reserved = false;
        try {
            // The input's decoded arrays must fit next to what requests and other jobs hold: wait until they do.
            if (job.inputBytes() > 0 && !budget.tryReserve(job.inputBytes())) {
                job.phase("waiting for memory");
                changed(job, true);
                if (!budget.reserve(job.inputBytes(), () -> job.cancelRequested() || closing)) {
                    throw new CancellationException("cancelled");
                }
            }
            reserved = job.inputBytes() > 0;
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
        } catch (OutOfMemoryError e) {
            LOG.error("job {} ran out of memory", job.id(), e);
            job.finish("failed", "out of memory: the dataset is too large for this server's heap (-Xmx)", null);
            log(job, "failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.finish("interrupted", "server stopped", null);
            log(job, job.status());
        } catch (RuntimeException | Error e) {
            LOG.error("job {} failed", job.id(), e);
            job.finish("failed", "internal error (see the server log, job " + job.id() + ")", null);
            log(job, "failed: " + e);
        } finally {
            if (reserved) {
                budget.release(job.inputBytes());
            }
        }
        changed(job, true);
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
            if (job.terminal()) {
                // Persisted in its final state: from now on it may leave memory and be read back from disk.
                jobs.finished(job);
            }
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
        for (Job j : jobs.active()) {
            if (!j.terminal()) {
                j.requestCancel();
            }
        }
        pool.shutdownNow();
        lane.shutdownNow();
        try {
            long until = System.nanoTime() + waitMs * 1_000_000L;
            pool.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
            lane.awaitTermination(Math.max(0, (until - System.nanoTime()) / 1_000_000L), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job j : List.copyOf(jobs.active())) {
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

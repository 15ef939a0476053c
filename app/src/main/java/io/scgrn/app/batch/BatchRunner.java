package io.scgrn.app.batch;

import io.scgrn.anndata.AnnDataException;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.app.run.FileTrees;
import io.scgrn.models.ModelException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch's tasks with bounded parallelism, one folder per task under {@code OUT/tasks/}.
 *
 * <ul>
 *   <li>Resumable: a task whose folder holds an {@code ok} manifest with the same canonical parameters, a
 *   {@code network.tsv} and an input with the same checksum is reused, unless {@link Options#force()}.</li>
 *   <li>All-or-nothing: a task writes into {@code tasks/.tmp-*} and its folder is replaced by one rename at the
 *   end (see {@link TaskStore}); a failed or interrupted task's folder holds only its manifest, error and loss
 *   curve.</li>
 *   <li>Isolated failures: a failing task is recorded (one-line error in the manifest, stack trace in
 *   {@code error.txt}) and the others go on.</li>
 *   <li>Cancellable: {@link #cancel()} (from the Ctrl-C hook) makes every running task's progress throw
 *   {@link CancellationException} at its next report; their manifests say {@code interrupted}; tasks not started
 *   are {@code not-run}.</li>
 *   <li>Tasks on {@code gpu} and tasks the executor calls {@linkplain TaskExecutor#exclusive exclusive} (DJL
 *   training) run one at a time; others run alongside, up to {@link Options#jobs()} at once.</li>
 * </ul>
 * One runner runs one batch; a lock file keeps two batches out of one output folder.
 */
public final class BatchRunner {
    /** Task folders live here, inside the output folder. */
    public static final String TASKS_DIR = "tasks";
    /** The network file every successful task must leave. */
    public static final String NETWORK = "network.tsv";
    /** Per-epoch losses of a task. */
    public static final String LOSS = "loss.tsv";
    /** Stack trace of a failed task. */
    public static final String ERROR = "error.txt";
    private static final String LOCK = ".scgrn-batch.lock";
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

    /**
     * @param jobs          tasks run at once (at least 1)
     * @param force         rerun tasks even when complete outputs exist
     * @param scgrnVersion  written into every manifest
     */
    public record Options(int jobs, boolean force, String scgrnVersion) {
        public Options {
            if (jobs < 1) {
                throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
            }
        }
    }

    private final TaskExecutor executor;
    private final TaskStore store;
    private final BatchListener listener;
    private final Options options;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final InputFingerprint.Cache fingerprints = new InputFingerprint.Cache();
    private final Semaphore slots;
    private final AtomicLong tmpCounter = new AtomicLong();
    private volatile ExecutorService pool;
    private volatile ExecutorService lane;

    public BatchRunner(TaskExecutor executor, TaskStore store, BatchListener listener, Options options) {
        this.executor = executor;
        this.store = store;
        this.listener = listener == null ? BatchListener.NONE : listener;
        this.options = options;
        this.slots = new Semaphore(options.jobs());
    }

    /**
     * The default parallelism: one task per core, but no more than one per GiB of heap (preparation holds a dense
     * cells × genes matrix per task).
     */
    public static int defaultJobs() {
        int cores = Runtime.getRuntime().availableProcessors();
        long perTask = 1L << 30;
        int byMemory = (int) Math.max(1, Runtime.getRuntime().maxMemory() / perTask);
        return Math.max(1, Math.min(cores, byMemory));
    }

    /** Asks running tasks to stop and keeps queued ones from starting. Safe from any thread, repeatable. */
    public void cancel() {
        cancelled.set(true);
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Last resort when cancelled tasks do not stop in time: interrupts the worker threads (a task blocked in I/O
     * then fails and is recorded as interrupted).
     */
    public void interruptWorkers() {
        for (ExecutorService p : new ExecutorService[] {pool, lane}) {
            if (p != null) {
                p.shutdownNow();
            }
        }
    }

    /**
     * Runs {@code tasks} (from {@link TaskSpec#expand}) into {@code out}; blocks until every task ended.
     *
     * @throws BatchException when the output folder cannot be used (not writable, another batch runs there)
     */
    public BatchResult run(Path out, List<TaskSpec> tasks) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a BatchRunner runs one batch");
        }
        long t0 = System.nanoTime();
        Path tasksDir = out.resolve(TASKS_DIR);
        try {
            Files.createDirectories(tasksDir);
        } catch (IOException e) {
            throw new BatchException("cannot create output folder " + tasksDir + ": " + e.getMessage(), e);
        }
        try (FileChannel lockChannel = FileChannel.open(out.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = tryLock(lockChannel, out)) {
            store.cleanStale(tasksDir);
            return runLocked(out, tasksDir, tasks, t0);
        } catch (IOException e) {
            throw new BatchException("cannot use output folder " + out + ": " + e.getMessage(), e);
        }
    }

    private static FileLock tryLock(FileChannel ch, Path out) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new BatchException("another scgrn batch is running in " + out, null);
        }
        return lock;
    }

    private BatchResult runLocked(Path out, Path tasksDir, List<TaskSpec> tasks, long t0) {
        TaskResult[] results = new TaskResult[tasks.size()];
        List<Integer> toRun = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec t = tasks.get(i);
            TaskResult reused = options.force() ? null : reusable(t, tasksDir.resolve(t.folder()));
            if (reused != null) {
                results[i] = reused;
            } else {
                toRun.add(i);
            }
        }
        listener.started(tasks, toRun.size(), tasks.size() - toRun.size());
        for (TaskResult r : results) {
            if (r != null) {
                listener.taskFinished(r);
            }
        }
        if (!toRun.isEmpty()) {
            // Exclusive tasks (GPU, DJL training) queue in a lane of their own, so that waiting for each other does
            // not hold up the rest; the slots semaphore keeps the total at most jobs.
            int threads = Math.min(options.jobs(), toRun.size());
            pool = Executors.newFixedThreadPool(threads, daemonThreads("batch-"));
            lane = Executors.newSingleThreadExecutor(daemonThreads("batch-exclusive-"));
            try {
                List<Future<TaskResult>> futures = new ArrayList<>();
                for (int i : toRun) {
                    TaskSpec t = tasks.get(i);
                    boolean excl = "gpu".equals(t.device()) || executor.exclusive(t);
                    futures.add((excl ? lane : pool).submit(() -> execute(t, tasksDir)));
                }
                for (int k = 0; k < toRun.size(); k++) {
                    int i = toRun.get(k);
                    results[i] = await(futures.get(k), tasks.get(i), tasksDir);
                    listener.taskFinished(results[i]);
                }
            } finally {
                pool.shutdown();
                lane.shutdown();
            }
        }
        BatchResult result = new BatchResult(out, List.of(results), cancelled.get(), (System.nanoTime() - t0) / 1e9);
        listener.finished(result);
        return result;
    }

    private TaskResult await(Future<TaskResult> f, TaskSpec t, Path tasksDir) {
        while (true) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                // The main thread is only interrupted on shutdown: make the tasks stop and keep collecting.
                cancel();
            } catch (CancellationException e) {
                return notRun(t, tasksDir);
            } catch (ExecutionException e) {
                // execute() records its own failures; this is a bug in the recording itself
                return failedUnrecorded(t, tasksDir, e.getCause());
            }
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread th = new Thread(r, prefix + n.incrementAndGet());
            // Daemon: a task stuck in native code must not keep the JVM alive after Ctrl-C.
            th.setDaemon(true);
            return th;
        };
    }

    /** The earlier run's result for {@code t} when it is complete and still matches, else null. */
    TaskResult reusable(TaskSpec t, Path dir) {
        TaskManifest m = TaskManifest.read(dir);
        if (m == null || m.status() != TaskStatus.OK || !t.id().equals(m.id()) || !t.canonical().equals(m.canonical())
                || !Files.isRegularFile(dir.resolve(NETWORK))) {
            return null;
        }
        try {
            if (!fingerprints.matches(t.dataset().path(), m.fingerprint())) {
                LOG.info("{}: input {} changed since the last run; rerunning", t.folder(), t.dataset().path());
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return new TaskResult(t, m, dir, true);
    }

    /** Runs one task when a slot is free and records its outcome; never throws. */
    private TaskResult execute(TaskSpec t, Path tasksDir) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            return notRun(t, tasksDir);
        }
        try {
            return executeInSlot(t, tasksDir);
        } finally {
            slots.release();
        }
    }

    private TaskResult executeInSlot(TaskSpec t, Path tasksDir) {
        Path target = tasksDir.resolve(t.folder());
        if (cancelled.get()) {
            return notRun(t, tasksDir);
        }
        Path tmp = tasksDir.resolve(TaskStore.TMP_PREFIX + t.folder() + "-" + tmpCounter.incrementAndGet());
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        TaskProgress progress = new TaskProgress(t, cancelled::get, listener);
        listener.taskStarted(t, progress);
        InputFingerprint fp = null;
        TaskExecutor.TaskOutput output = null;
        Throwable failure = null;
        try {
            Files.createDirectories(tmp);
            fp = fingerprints.of(t.dataset().path());
            output = executor.run(t, tmp, progress);
            if (!Files.isRegularFile(tmp.resolve(NETWORK))) {
                throw new IllegalStateException("the pipeline finished without writing " + NETWORK);
            }
        } catch (Throwable e) { // NOPMD: any failure of one task is recorded, the batch goes on
            failure = e;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        TaskStatus status = failure == null ? TaskStatus.OK : isInterruption(failure) ? TaskStatus.INTERRUPTED
                : TaskStatus.FAILED;
        String error = failure == null ? null : status == TaskStatus.INTERRUPTED ? "interrupted" : oneLine(failure);
        List<TaskProgress.LossPoint> losses = progress.losses();
        TaskManifest m = manifest(t, fp, output, status, exitCode(failure, status), error, started, seconds,
                progress.phaseSeconds(), losses.size());
        try {
            if (status != TaskStatus.OK) {
                // No partial outputs: a failed task's folder holds only what explains the failure.
                FileTrees.delete(tmp);
                Files.createDirectories(tmp);
                if (status == TaskStatus.FAILED) {
                    store.write(tmp.resolve(ERROR), stackTrace(failure).getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!losses.isEmpty()) {
                store.write(tmp.resolve(LOSS), lossTsv(losses).getBytes(StandardCharsets.UTF_8));
            }
            store.write(tmp.resolve(TaskManifest.FILE), m.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8));
            store.commit(tmp, target);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return writeFailed(t, tasksDir, tmp, m, e);
        }
        logOutcome(m);
        return new TaskResult(t, m, target, false);
    }

    /** The task's results could not be written (disk full, read-only folder): recorded as a failure. */
    private TaskResult writeFailed(TaskSpec t, Path tasksDir, Path tmp, TaskManifest ran, Exception e) {
        String error = "cannot write results to " + tasksDir.resolve(t.folder()) + ": " + oneLine(e);
        LOG.warn("{}: {}", t.folder(), error);
        try {
            FileTrees.delete(tmp);
        } catch (IOException cleanup) {
            LOG.warn("{}: cannot remove {}: {} (the next run removes it)", t.folder(), tmp, cleanup.toString());
        }
        TaskManifest m = new TaskManifest(ran.id(), ran.folder(), ran.canonical(), ran.dataset(), ran.input(),
                ran.fingerprint(), ran.model(), ran.params(), ran.seed(), ran.device(), ran.deviceUsed(),
                ran.scgrnVersion(), TaskStatus.FAILED, 1, error, ran.started(), Instant.now(), ran.seconds(),
                ran.phaseSeconds(), -1, ran.epochs());
        Path target = tasksDir.resolve(t.folder());
        if (!Files.exists(target)) {
            // Best effort, so the failure is on disk too; when even this fails it is still in the summary.
            try {
                Files.createDirectories(target);
                Files.writeString(target.resolve(TaskManifest.FILE), m.toJson().encodePrettily());
            } catch (IOException | UncheckedIOException again) {
                LOG.debug("cannot record the failure of {} either: {}", t.folder(), again.toString());
            }
        }
        return new TaskResult(t, m, target, false);
    }

    private TaskResult notRun(TaskSpec t, Path tasksDir) {
        TaskManifest m = manifest(t, null, null, TaskStatus.NOT_RUN, 130, "not started: batch cancelled",
                null, 0, Map.of(), 0);
        return new TaskResult(t, m, tasksDir.resolve(t.folder()), false);
    }

    private TaskResult failedUnrecorded(TaskSpec t, Path tasksDir, Throwable e) {
        LOG.error("{}: internal error while recording the task", t.folder(), e);
        TaskManifest m = manifest(t, null, null, TaskStatus.FAILED, 1, oneLine(e), null, 0, Map.of(), 0);
        return new TaskResult(t, m, tasksDir.resolve(t.folder()), false);
    }

    private TaskManifest manifest(TaskSpec t, InputFingerprint fp, TaskExecutor.TaskOutput output, TaskStatus status,
                                  int exitCode, String error, Instant started, double seconds,
                                  Map<String, Double> phases, int epochs) {
        return new TaskManifest(t.id(), t.folder(), t.canonical(), t.dataset().name(), t.dataset().path().toString(),
                fp, t.model(), t.params(), t.seed(), t.device(), output == null ? null : output.deviceUsed(),
                options.scgrnVersion(), status, exitCode, error, started, started == null ? null : Instant.now(),
                seconds, phases, output == null ? -1 : output.nEdges(), epochs);
    }

    private void logOutcome(TaskManifest m) {
        if (m.status() == TaskStatus.FAILED) {
            LOG.debug("{} failed: {}", m.folder(), m.error());
        }
    }

    private boolean isInterruption(Throwable e) {
        Throwable c = unwrap(e);
        return c instanceof CancellationException || c instanceof InterruptedException
                || c instanceof ClosedByInterruptException || cancelled.get();
    }

    /** The CLI exit code a task failure maps to (the same table as {@code scgrn infer}). */
    static int exitCode(Throwable failure, TaskStatus status) {
        if (status == TaskStatus.OK) {
            return 0;
        }
        if (status == TaskStatus.INTERRUPTED) {
            return 130;
        }
        Throwable c = unwrap(failure);
        if (c instanceof RemoteTaskFailure r) {
            return r.exitCode();
        }
        if (c instanceof AnnDataException) {
            return 4;
        }
        if (c instanceof ModelException) {
            return 5;
        }
        if (c instanceof BadRequestException) {
            return 2;
        }
        return 1;
    }

    /** Strips wrappers that carry no message of their own. */
    static Throwable unwrap(Throwable e) {
        Throwable c = e;
        while ((c instanceof CompletionException || c instanceof ExecutionException
                || (c instanceof UncheckedIOException && c.getCause() instanceof InterruptedException))
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** One line: the message, prefixed by the type where the type is the only hint (NullPointerException…). */
    static String oneLine(Throwable e) {
        Throwable c = unwrap(e);
        String msg = c.getMessage();
        boolean known = c instanceof AnnDataException || c instanceof ModelException
                || c instanceof BadRequestException || c instanceof UncheckedIOException
                || c instanceof RemoteTaskFailure;
        String s = msg == null || msg.isBlank() ? c.getClass().getSimpleName()
                : known ? msg : c.getClass().getSimpleName() + ": " + msg;
        if (c instanceof OutOfMemoryError) {
            s = "out of memory (raise -Xmx via SCGRN_JAVA_OPTS or lower --jobs): " + s;
        }
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static String lossTsv(List<TaskProgress.LossPoint> losses) {
        StringBuilder sb = new StringBuilder("run\tphase\tepoch\ttotal\tloss\n");
        for (TaskProgress.LossPoint p : losses) {
            sb.append(p.run()).append('\t').append(p.phase()).append('\t').append(p.epoch()).append('\t')
                    .append(p.total()).append('\t').append(String.format(Locale.ROOT, "%.9g", p.loss())).append('\n');
        }
        return sb.toString();
    }
}

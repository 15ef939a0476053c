package io.scgrn.app.cli;

import io.scgrn.app.batch.BatchException;
import io.scgrn.app.batch.BatchPlan;
import io.scgrn.app.batch.BatchResult;
import io.scgrn.app.batch.BatchRunner;
import io.scgrn.app.batch.ClusterBackend;
import io.scgrn.app.batch.ConsoleProgress;
import io.scgrn.app.batch.PipelineTaskExecutor;
import io.scgrn.app.batch.PlanException;
import io.scgrn.app.batch.PlanParser;
import io.scgrn.app.batch.ReportWriter;
import io.scgrn.app.batch.TaskExecutor;
import io.scgrn.app.batch.TaskResult;
import io.scgrn.app.batch.TaskSpec;
import io.scgrn.app.batch.TaskStatus;
import io.scgrn.app.batch.TaskStore;
import io.scgrn.app.run.InferPipeline;
import io.scgrn.app.run.ScgrnConfig;
import io.scgrn.app.run.Versions;
import io.scgrn.models.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scgrn batch PLAN.yaml}: many datasets × models × parameter grids, resumable, with an HTML report. */
@Command(name = "batch", sortOptions = false,
        description = {"Run a YAML plan: every dataset x model x parameter set x seed is one task, run through the "
                + "same pipeline as 'scgrn infer', into OUT/tasks/<dataset>-<model>-<id>/ (id = hash of the task's "
                + "parameters). Writes OUT/report.html (self-contained), OUT/summary.tsv and OUT/summary.json.",
            "Rerunning the same plan skips complete tasks whose parameters and input checksum match (--force reruns "
                + "them); failed and interrupted tasks run again. A failing task does not stop the others (exit 3). "
                + "Ctrl-C stops running tasks cleanly (exit 130); the next run resumes.",
            "The whole plan is validated first: every problem is printed with its line (exit 2). "
                + "See examples/batch-example.yaml for the keys."})
public final class BatchCommand implements Callable<Integer> {
    /** Seconds a Ctrl-C waits for running tasks to record themselves before it interrupts their threads. */
    static final long GRACE_SECONDS = 15;

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseMixin verbose;

    @Parameters(index = "0", paramLabel = "PLAN", description = "The plan (YAML).")
    Path plan;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Output folder (default: the plan's 'out', else scgrn-batch/<plan name>).")
    Path out;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Tasks run at once (default: the plan's 'jobs', else one per core, at most one per GiB of "
                    + "heap). GPU tasks and neural-model trainings run one at a time (DJL trains one model per process).")
    Integer jobs;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu",
            description = "Device for tasks whose dataset and model entries name none (overrides the plan's 'device').")
    String device;

    @Option(names = "--force", description = "Rerun every task, even those complete from an earlier run.")
    boolean force;

    @Option(names = "--dry-run", description = "Validate the plan and list its tasks without running them.")
    boolean dryRun;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file overriding the embedded defaults.")
    Path config;

    @Option(names = {"-q", "--quiet"}, description = "No progress output (failures and the summary still print).")
    boolean quiet;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run the tasks on a Spark cluster (spark://host:7077, local[N], or what spark-submit gives); "
                    + "plan, inputs and OUT must be on a path every executor sees. Same outputs as a local run.")
    String spark;

    private final Function<ScgrnConfig, TaskExecutor> executors;
    private final TaskStore store;

    /** The command as the CLI runs it: tasks go through {@link InferPipeline}. */
    public BatchCommand() {
        this(cfg -> new PipelineTaskExecutor(new InferPipeline(cfg)), new TaskStore());
    }

    /**
     * A command with another executor or store: for tests (slow, failing or write-failing tasks) and embedding.
     *
     * @param executors the executor to use, given the loaded configuration
     * @param store     file operations of the task folders
     */
    public BatchCommand(Function<ScgrnConfig, TaskExecutor> executors, TaskStore store) {
        this.executors = executors;
        this.store = store;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (jobs != null && jobs < 1) {
            err.println("scgrn: --jobs must be at least 1, not " + jobs);
            return ExitCodes.USAGE;
        }
        if (device != null && !PlanParser.DEVICES.contains(device.toLowerCase(Locale.ROOT))) {
            err.println("scgrn: --device must be one of " + String.join(", ", PlanParser.DEVICES) + ", not '"
                    + device + "'");
            return ExitCodes.USAGE;
        }
        List<String> models = new ArrayList<>(Models.names());
        models.add("default");
        BatchPlan p;
        try {
            p = new PlanParser(models).parse(plan);
        } catch (PlanException e) {
            e.lines().forEach(l -> err.println("scgrn: " + l));
            err.println("scgrn: " + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s")
                    + " in the plan; nothing was run");
            err.flush();
            return ExitCodes.USAGE;
        }
        ScgrnConfig cfg = ScgrnConfig.load(config);
        List<TaskSpec> tasks;
        try {
            tasks = TaskSpec.expand(p, device == null ? null : device.toLowerCase(Locale.ROOT), configHash());
        } catch (UncheckedIOException e) {
            err.println("scgrn: " + e.getMessage());
            return ExitCodes.INPUT_INVALID;
        }
        Path outDir = (out != null ? out : p.out() != null ? p.out() : Path.of("scgrn-batch", p.title()))
                .toAbsolutePath().normalize();
        int n = jobs != null ? jobs : p.jobs() != null ? p.jobs() : BatchRunner.defaultJobs();
        if (dryRun) {
            printTasks(p, tasks, outDir, n, stdout);
            return ExitCodes.OK;
        }
        ClusterBackend.Cluster cluster = null;
        TaskExecutor executor;
        if (spark != null) {
            ClusterBackend backend = ClusterBackend.find("spark").orElse(null);
            if (backend == null) {
                err.println("scgrn: --spark needs the spark module: build it (mvn -B -DskipTests package) and run "
                        + "through app/bin/scgrn, which adds spark/target/lib for --spark");
                return ExitCodes.USAGE;
            }
            cluster = backend.connect(spark, "scgrn batch " + p.title());
            try {
                cluster.checkOutputFolder(outDir);
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            executor = cluster.batchExecutor(new ClusterBackend.BatchJob(plan.toAbsolutePath().normalize(),
                    device == null ? null : device.toLowerCase(Locale.ROOT),
                    config == null ? null : config.toAbsolutePath().normalize(), configHash()));
            if (jobs == null && p.jobs() == null) {
                n = cluster.parallelism();
            }
        } else {
            executor = executors.apply(cfg);
        }
        ConsoleProgress progress = ConsoleProgress.forConsole(err, quiet);
        BatchRunner runner = new BatchRunner(executor, store, progress,
                new BatchRunner.Options(n, force, Versions.scgrn()));
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> onInterrupt(runner, finished), "scgrn-batch-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            BatchResult result = runner.run(outDir, tasks);
            ReportWriter.write(p, result, outDir);
            printSummary(result, outDir, stdout, err);
            return result.exitCode();
        } catch (BatchException e) {
            err.println("scgrn: " + e.getMessage());
            return ExitCodes.USAGE;
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            progress.close();
            err.flush();
            stdout.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // exiting because of Ctrl-C: the hook is waiting for this and now returns
            }
        }
    }

    /**
     * Ctrl-C (or SIGTERM): cancel, give running tasks time to record "interrupted" and the report to be written,
     * then interrupt what is still running. The JVM exits with 130 after the hook returns.
     */
    private static void onInterrupt(BatchRunner runner, CountDownLatch finished) {
        runner.cancel();
        try {
            if (!finished.await(GRACE_SECONDS, TimeUnit.SECONDS)) {
                runner.interruptWorkers();
                finished.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String configHash() throws IOException {
        if (config == null) {
            return null;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(config));
            return "config@sha256:" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void printTasks(BatchPlan p, List<TaskSpec> tasks, Path outDir, int jobs, PrintWriter out) {
        out.printf("plan %s: %d dataset(s), %d model entr%s, %d seed(s) -> %d task(s); out %s; %d job(s)%n",
                p.title(), p.datasets().size(), p.models().size(), p.models().size() == 1 ? "y" : "ies",
                p.seeds().size(), tasks.size(), outDir, jobs);
        out.println("id\tdataset\tmodel\tparams\tseed\tdevice\tfolder");
        for (TaskSpec t : tasks) {
            out.printf("%s\t%s\t%s\t%s\t%d\t%s\t%s%n", t.id(), t.dataset().name(), t.model(), t.paramsLabel(),
                    t.seed(), t.device(), t.folder());
        }
        out.flush();
    }

    private void printSummary(BatchResult r, Path outDir, PrintWriter out, PrintWriter err) {
        for (TaskResult t : r.results()) {
            if (t.status() == TaskStatus.FAILED) {
                err.println("scgrn: task " + t.task().folder() + " failed: " + t.manifest().error());
                if (verbose.level() > 0) {
                    err.println("scgrn:   stack trace in " + t.dir().resolve(BatchRunner.ERROR));
                }
            }
        }
        out.printf(Locale.ROOT, "%d task(s): %d ok (%d reused), %d failed, %d interrupted, %d not run; %.1f s%n",
                r.results().size(), r.count(TaskStatus.OK), r.reused(), r.count(TaskStatus.FAILED),
                r.count(TaskStatus.INTERRUPTED), r.count(TaskStatus.NOT_RUN), r.seconds());
        out.println("report: " + outDir.resolve(ReportWriter.HTML));
        if (r.cancelled()) {
            out.println("interrupted: run the same command again to finish (complete tasks are reused)");
        }
    }
}

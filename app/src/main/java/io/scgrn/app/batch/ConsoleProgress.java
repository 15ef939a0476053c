package io.scgrn.app.batch;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shows a batch's progress on the CLI's error stream.
 *
 * <ul>
 *   <li>{@link Mode#TERMINAL}: an overall bar plus one bar per running task (phase, epoch, loss, ETA), redrawn in
 *   place four times a second; finished tasks scroll above the bars as permanent lines.</li>
 *   <li>{@link Mode#LOG}: one line per event (task start, phase, every tenth of the epochs, end), for logs and
 *   CI.</li>
 *   <li>{@link Mode#QUIET}: nothing (the CLI still prints failures and the summary).</li>
 * </ul>
 */
public final class ConsoleProgress implements BatchListener, AutoCloseable {
    /** How progress is shown. */
    public enum Mode { TERMINAL, LOG, QUIET }

    private static final String CSI = "\u001b[";
    private final PrintWriter err;
    private final Mode mode;
    private final int width;
    private final Map<String, Running> running = new ConcurrentSkipListMap<>();
    private final Map<String, Integer> lastEpochDecile = new ConcurrentHashMap<>();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger ranDone = new AtomicInteger();
    private volatile int total;
    private volatile int toRun;
    private volatile long start = System.nanoTime();
    private int drawnLines;
    private ScheduledExecutorService ticker;

    private record Running(TaskSpec task, TaskProgress progress) {
    }

    /**
     * @param err   where to write
     * @param mode  how
     * @param width terminal columns (lines are cut to fit, or in-place redrawing would break)
     */
    public ConsoleProgress(PrintWriter err, Mode mode, int width) {
        this.err = err;
        this.mode = mode;
        this.width = Math.max(40, width);
    }

    /** Terminal when the JVM has a console, else log lines; quiet wins. Width from {@code $COLUMNS} (default 100). */
    public static ConsoleProgress forConsole(PrintWriter err, boolean quiet) {
        Mode m = quiet ? Mode.QUIET : System.console() != null ? Mode.TERMINAL : Mode.LOG;
        int w = 100;
        try {
            String c = System.getenv("COLUMNS");
            if (c != null) {
                w = Integer.parseInt(c.trim());
            }
        } catch (NumberFormatException e) {
            w = 100;
        }
        return new ConsoleProgress(err, m, w);
    }

    @Override
    public void started(List<TaskSpec> tasks, int toRun, int reused) {
        this.total = tasks.size();
        this.toRun = toRun;
        this.start = System.nanoTime();
        if (mode == Mode.QUIET) {
            return;
        }
        println(String.format(Locale.ROOT, "batch: %d task%s, %d complete from an earlier run, %d to run",
                total, total == 1 ? "" : "s", reused, toRun));
        if (mode == Mode.TERMINAL && toRun > 0) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "batch-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::redraw, 250, 250, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void taskStarted(TaskSpec task, TaskProgress progress) {
        running.put(task.folder(), new Running(task, progress));
        if (mode == Mode.LOG) {
            println(prefix() + "start " + task.folder() + " (" + task.dataset().name() + ", " + task.label() + ", "
                    + task.device() + ")");
        }
    }

    @Override
    public void taskPhase(TaskSpec task, String phase) {
        if (mode == Mode.LOG) {
            println(prefix() + task.folder() + ": " + phase);
        }
    }

    @Override
    public void taskEpoch(TaskSpec task, int epoch, int total, double loss) {
        if (mode != Mode.LOG || total <= 0) {
            return;
        }
        // Every tenth of the epochs (and the last), not every epoch: a log line per epoch would drown the log.
        int decile = (int) (10L * epoch / total);
        Integer last = lastEpochDecile.put(task.folder(), decile);
        if (last == null || decile != last || epoch == total) {
            println(String.format(Locale.ROOT, "%s%s: epoch %d/%d loss %.5g", prefix(), task.folder(), epoch,
                    total, loss));
        }
    }

    @Override
    public void taskFinished(TaskResult r) {
        running.remove(r.task().folder());
        lastEpochDecile.remove(r.task().folder());
        finished.incrementAndGet();
        if (!r.reused()) {
            ranDone.incrementAndGet();
        }
        if (r.status() == TaskStatus.FAILED) {
            failed.incrementAndGet();
        }
        if (mode == Mode.QUIET || (r.reused() && mode == Mode.TERMINAL)) {
            return;
        }
        String line = prefix() + statusWord(r) + " " + r.task().folder()
                + (r.reused() ? " (complete from an earlier run)" : String.format(Locale.ROOT, " %.1f s",
                r.manifest().seconds()))
                + (r.manifest().error() != null && r.status() == TaskStatus.FAILED ? ": " + r.manifest().error() : "");
        if (mode == Mode.TERMINAL) {
            synchronized (this) {
                clearBlock();
                err.println(cut(line));
                drawBlock();
                err.flush();
            }
        } else {
            println(line);
        }
    }

    @Override
    public void finished(BatchResult result) {
        close();
    }

    /** Stops redrawing and removes the bars. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        if (mode == Mode.TERMINAL) {
            synchronized (this) {
                clearBlock();
                err.flush();
            }
        }
    }

    private static String statusWord(TaskResult r) {
        return switch (r.status()) {
            case OK -> "ok";
            case FAILED -> "FAILED";
            case INTERRUPTED -> "interrupted";
            case NOT_RUN -> "not run";
        };
    }

    private String prefix() {
        return "[" + finished.get() + "/" + total + "] ";
    }

    private synchronized void println(String s) {
        err.println(s);
        err.flush();
    }

    private synchronized void redraw() {
        clearBlock();
        drawBlock();
        err.flush();
    }

    private void clearBlock() {
        if (drawnLines > 0) {
            err.print("\r" + CSI + drawnLines + "A" + CSI + "J");
            drawnLines = 0;
        }
    }

    private void drawBlock() {
        double elapsed = (System.nanoTime() - start) / 1e9;
        int done = finished.get();
        int ran = ranDone.get();
        String eta = ran > 0 && toRun > ran ? " ETA " + clock(elapsed / ran * (toRun - ran)) : "";
        String head = String.format(Locale.ROOT, "batch %s %d/%d  running %d  failed %d  %s%s",
                bar(total == 0 ? 1 : (double) done / total, 24), done, total, running.size(), failed.get(),
                clock(elapsed), eta);
        err.println(cut(head));
        drawnLines = 1;
        for (Running r : running.values()) {
            TaskProgress.Snapshot s = r.progress().snapshot();
            StringBuilder line = new StringBuilder("  ").append(r.task().folder()).append("  ").append(s.phase());
            line.append(' ').append(bar(s.fraction(), 16));
            if (s.total() > 0) {
                line.append(String.format(Locale.ROOT, " epoch %d/%d loss %.4g", s.epoch(), s.total(), s.loss()));
            }
            line.append("  ").append(clock(s.elapsed()));
            if (!Double.isNaN(s.eta())) {
                line.append(" ETA ").append(clock(s.eta()));
            }
            err.println(cut(line.toString()));
            drawnLines++;
        }
    }

    private String cut(String s) {
        return s.length() < width ? s : s.substring(0, width - 2) + "…";
    }

    static String bar(double fraction, int cells) {
        int full = (int) Math.round(Math.max(0, Math.min(1, fraction)) * cells);
        return "[" + "#".repeat(full) + ".".repeat(cells - full) + "]";
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}

package io.scgrn.app.cli;

import io.scgrn.models.Progress;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Draws pipeline progress on stderr. On a terminal: one line redrawn with {@code \r} (phase, epoch, loss, bar,
 * ETA), at most ten times a second. Elsewhere (logs, pipes): one line per phase and a line every 10 % of epochs.
 * Quiet: nothing. Also the cancellation flag that Ctrl-C sets.
 */
public final class ProgressPrinter implements Progress {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean quiet;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final long runStart = System.nanoTime();
    private String phase = "";
    private long phaseStart = System.nanoTime();
    private long lastDraw;
    private int lastWidth;
    private int lastLoggedDecile = -1;

    public ProgressPrinter(PrintWriter err, boolean terminal, boolean quiet) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    /** A printer for the current process: terminal mode when a console is attached. */
    public static ProgressPrinter forConsole(PrintWriter err, boolean quiet) {
        return new ProgressPrinter(err, System.console() != null, quiet);
    }

    @Override
    public synchronized void phase(String name) {
        phase = name;
        phaseStart = System.nanoTime();
        lastLoggedDecile = -1;
        if (quiet) {
            return;
        }
        if (terminal) {
            draw(name + "...", true);
        } else {
            err.printf("scgrn: %s (%s elapsed)%n", name, clock(System.nanoTime() - runStart));
            err.flush();
        }
    }

    @Override
    public synchronized void epoch(int epoch, int total, double loss) {
        if (quiet) {
            return;
        }
        double done = total > 0 ? Math.min(1.0, (double) epoch / total) : 0.0;
        String eta = etaText(done);
        if (terminal) {
            String text = String.format("%s epoch %d/%d loss %.4g %s %3.0f%% ETA %s", phase, epoch, total, loss,
                    bar(done), 100 * done, eta);
            draw(text, epoch >= total);
        } else {
            int decile = (int) Math.floor(done * 10);
            if (decile > lastLoggedDecile) {
                lastLoggedDecile = decile;
                err.printf("scgrn: %s epoch %d/%d loss %.4g ETA %s%n", phase, epoch, total, loss, eta);
                err.flush();
            }
        }
    }

    @Override
    public synchronized void fraction(double done) {
        if (quiet || !terminal) {
            return;
        }
        draw(String.format("%s %s %3.0f%% ETA %s", phase, bar(done), 100 * done, etaText(done)), done >= 1.0);
    }

    @Override
    public boolean cancelled() {
        return cancelled.get();
    }

    /** Asks the running pipeline to stop at its next check. */
    public void cancel() {
        cancelled.set(true);
    }

    /** Ends the redrawn line (call once when the run ends, successfully or not). */
    public synchronized void finish() {
        if (terminal && !quiet && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            lastWidth = 0;
        }
    }

    private void draw(String text, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        String line = "scgrn: " + text;
        int pad = Math.max(0, lastWidth - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        lastWidth = line.length();
    }

    private String etaText(double done) {
        if (done <= 0) {
            return "?";
        }
        long elapsed = System.nanoTime() - phaseStart;
        return clock((long) (elapsed * (1 - done) / done));
    }

    static String bar(double done) {
        int full = (int) Math.round(Math.max(0, Math.min(1, done)) * BAR);
        return "[" + "#".repeat(full) + ".".repeat(BAR - full) + "]";
    }

    static String clock(long nanos) {
        long s = Math.max(0, nanos / 1_000_000_000L);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}

package io.scgrn.app.batch;

import java.util.Locale;

/** Outcome of one task. */
public enum TaskStatus {
    /** Outputs complete (this run or reused from an earlier one). */
    OK,
    /** The task threw; its error is recorded and the other tasks went on. */
    FAILED,
    /** Cancelled while running (Ctrl-C); the next run redoes it. */
    INTERRUPTED,
    /** Never started because the batch was cancelled first. */
    NOT_RUN;

    /** Lower-case name as written in manifests and summaries. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #label()}. */
    public static TaskStatus parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}

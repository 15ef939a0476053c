package io.scgrn.app.run;

import io.scgrn.models.Progress;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per pipeline phase; starting a phase also announces it to the progress listener. */
final class Timings {
    private final Progress progress;
    private final Map<String, Long> ms = new LinkedHashMap<>();
    private String current;
    private long startNanos;

    Timings(Progress progress) {
        this.progress = progress;
    }

    /** Ends the current phase (if any) and starts {@code phase}. */
    void start(String phase) {
        stop();
        current = phase;
        startNanos = System.nanoTime();
        progress.phase(phase);
    }

    /** Ends the current phase. */
    void stop() {
        if (current != null) {
            ms.merge(current, (System.nanoTime() - startNanos) / 1_000_000L, Long::sum);
            current = null;
        }
    }

    Map<String, Long> asMap() {
        return new LinkedHashMap<>(ms);
    }
}

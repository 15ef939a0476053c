package io.scgrn.app.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --prep stream=auto}: the sizes of the synthetic atlas (700 genes kept, 348 stored entries per cell). */
class StreamingDecisionTest {
    static final long GIB = 1L << 30;

    static long decoded(long cells) {
        return cells * 348 * 12 + 8 * (cells + 1);
    }

    static long gathered(long cells) {
        return 4 * cells * 700;
    }

    @Test
    void autoReadsInMemoryWhatFitsAndStreamsWhatWouldNot() {
        long heap = 4 * GIB;
        // 100k cells: X 0.42 GB, prepared 0.28 GB: in memory (measured: runs with -Xmx4g)
        assertFalse(Streaming.streams("auto", decoded(100_000), gathered(100_000), heap));
        // 200k cells: X 0.84 GB is under a quarter of the heap, but X and the prepared 0.56 GB with the model's
        // copies ran out of a 4 GiB heap (measured): streams
        assertTrue(Streaming.streams("auto", decoded(200_000), gathered(200_000), heap));
        // 1M cells: X alone is 4.2 GB
        assertTrue(Streaming.streams("auto", decoded(1_000_000), gathered(1_000_000), heap));
        // a larger heap takes 200k cells in memory again
        assertFalse(Streaming.streams("auto", decoded(200_000), gathered(200_000), 8 * GIB));
        assertFalse(Streaming.streams("off", decoded(1_000_000), gathered(1_000_000), heap));
        assertTrue(Streaming.streams("on", decoded(10_000), gathered(10_000), heap));
    }
}

package io.scgrn.anndata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded mutations of a small valid file: every read must either succeed or throw {@link AnnDataException} —
 * never another exception, never an OutOfMemoryError, never hang.
 */
class FuzzTest {
    private static final int MUTATIONS = 200;

    @Test
    void mutatedFilesFailCleanly(@TempDir Path dir) throws IOException {
        fuzz(dir, "stream_csr.h5ad", MUTATIONS, 20261125L);
    }

    /** LZF-compressed chunks, categoricals and string columns: exercises our LZF decoder on corrupt input. */
    @Test
    void mutatedLzfFilesFailCleanly(@TempDir Path dir) throws IOException {
        fuzz(dir, "lzf.h5ad", MUTATIONS / 2, 7L);
    }

    private static void fuzz(Path dir, String fixture, int mutations, long seed) throws IOException {
        byte[] original = Files.readAllBytes(TestFiles.fixture(fixture));
        Random rnd = new Random(seed);
        Path f = dir.resolve("mutant.h5ad");
        int ok = 0;
        int rejected = 0;
        for (int m = 0; m < mutations; m++) {
            byte[] b = mutate(original, rnd);
            Files.write(f, b);
            final int round = m;
            Boolean read = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    AnnDataFiles.readAny(f);
                    return true;
                } catch (AnnDataException e) {
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "round " + round);
                    return false;
                } catch (Throwable t) {
                    fail("mutation " + round + " threw " + t, t);
                    return false;
                }
            }, "mutation " + m + " hung");
            if (read) {
                ok++;
            } else {
                rejected++;
            }
        }
        assertTrue(rejected > 0, "some mutations must be rejected (ok=" + ok + ")");
    }

    private static byte[] mutate(byte[] original, Random rnd) {
        byte[] b = original.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> { // flip a few random bytes anywhere
                for (int k = 0, n = 1 + rnd.nextInt(8); k < n; k++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            case 1 -> { // overwrite bytes in the metadata-dense head of the file
                int n = 1 + rnd.nextInt(4);
                for (int k = 0; k < n; k++) {
                    b[rnd.nextInt(Math.min(b.length, 4096))] = (byte) rnd.nextInt(256);
                }
            }
            case 2 -> { // truncate
                return Arrays.copyOf(b, 64 + rnd.nextInt(b.length - 64));
            }
            default -> { // set a 4- or 8-byte field to a huge value
                int pos = rnd.nextInt(b.length - 8);
                for (int k = 0; k < (rnd.nextBoolean() ? 4 : 8); k++) {
                    b[pos + k] = (byte) 0x7f;
                }
            }
        }
        return b;
    }
}

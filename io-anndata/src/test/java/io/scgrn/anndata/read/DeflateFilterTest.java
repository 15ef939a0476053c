package io.scgrn.anndata.read;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The deflate decoder sizes its output from the previous chunk; it must be right for any sequence of sizes. */
class DeflateFilterTest {

    private static byte[] compress(byte[] in) {
        Deflater d = new Deflater();
        d.setInput(in);
        d.finish();
        byte[] buf = new byte[in.length * 2 + 64];
        int n = d.deflate(buf);
        d.end();
        return Arrays.copyOf(buf, n);
    }

    private static byte[] data(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : i % 7);
        }
        return b;
    }

    @Test
    void roundTripsChunksOfChangingSize() {
        Random r = new Random(3);
        DeflateFilter f = new DeflateFilter();
        for (int n : new int[] {100_000, 100_000, 7, 250_000, 0, 100_000, 1}) {
            byte[] in = data(r, n);
            assertArrayEquals(in, f.decode(compress(in), new int[0]), "size " + n);
        }
    }

    @Test
    void encodingStillWorksForTheWriter() {
        byte[] in = data(new Random(5), 10_000);
        DeflateFilter f = new DeflateFilter();
        assertArrayEquals(in, f.decode(f.encode(in, new int[] {4}), null));
    }

    @Test
    void truncatedAndCorruptStreamsThrow() {
        byte[] z = compress(data(new Random(4), 50_000));
        DeflateFilter f = new DeflateFilter();
        assertThrows(IllegalStateException.class, () -> f.decode(Arrays.copyOf(z, z.length / 2), null));
        byte[] bad = z.clone();
        bad[0] = 0x7f;
        assertThrows(IllegalStateException.class, () -> f.decode(bad, null));
    }
}

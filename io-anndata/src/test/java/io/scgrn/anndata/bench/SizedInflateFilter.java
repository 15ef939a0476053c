package io.scgrn.anndata.bench;

import io.jhdf.filter.Filter;
import io.jhdf.filter.FilterManager;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Experimental gzip (HDF5 deflate, filter id 1) decoder for the read benchmark, proposed for the reader: it
 * inflates straight into an array of the size of the previous chunk on this thread (all chunks of a dataset
 * decode to the same size), so a chunk is copied once, not three times as through jhdf 0.13's
 * ByteArrayOutputStream (write, growth, toByteArray). Enabled in {@link ReadBenchmark} with
 * {@code -Dbench.sizedInflate=true}; registering replaces jhdf's deflate filter for the whole JVM.
 */
final class SizedInflateFilter implements Filter {
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
    private static final ThreadLocal<int[]> LAST_SIZE = ThreadLocal.withInitial(() -> new int[] {0});

    static void install() {
        FilterManager.addFilter(new SizedInflateFilter());
    }

    @Override
    public int getId() {
        return 1;
    }

    @Override
    public String getName() {
        return "deflate";
    }

    @Override
    public byte[] decode(byte[] encoded, int[] filterData) {
        Inflater inf = INFLATER.get();
        inf.reset();
        inf.setInput(encoded);
        int[] last = LAST_SIZE.get();
        byte[] out = new byte[Math.max(last[0], Math.max(64, encoded.length * 2))];
        int n = 0;
        try {
            while (!inf.finished()) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new IllegalStateException("truncated deflate stream");
                }
                n += k;
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt deflate stream: " + e.getMessage(), e);
        }
        last[0] = n;
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}

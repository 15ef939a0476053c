package io.scgrn.anndata.read;

import io.jhdf.filter.DeflatePipelineFilter;
import io.jhdf.filter.Filter;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The HDF5 deflate (gzip) filter, id 1, replacing jhdf's: it inflates straight into an array sized like the
 * previous chunk decoded on this thread (the chunks of a dataset all decode to the same size), so a chunk is
 * normally written once. jhdf 0.13 goes through a ByteArrayOutputStream (write, growth, toByteArray), which
 * profiling showed to be the largest Java-side cost of reading big gzip matrices. The idea comes from the read
 * benchmark's SizedInflateFilter. One Inflater per thread, reset for each chunk. Encoding (writing) is delegated
 * to jhdf's filter.
 */
public final class DeflateFilter implements Filter {
    /** HDF5 filter id of deflate. */
    public static final int ID = 1;

    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
    private static final ThreadLocal<int[]> LAST_SIZE = ThreadLocal.withInitial(() -> new int[1]);
    /** jhdf's own filter, still used for writing. */
    private static final DeflatePipelineFilter JHDF = new DeflatePipelineFilter();

    /** Registers this filter with jhdf (idempotent). */
    public static void install() {
        FilterRegistration.installOnce(ID, DeflateFilter::new);
    }

    @Override
    public int getId() {
        return ID;
    }

    @Override
    public String getName() {
        return "deflate";
    }

    /** Compression is left to jhdf's filter (the writer uses it through the same registry). */
    @Override
    public byte[] encode(byte[] data, int[] filterData) {
        return JHDF.encode(data, filterData);
    }

    @Override
    public byte[] decode(byte[] encoded, int[] filterData) {
        Inflater inf = INFLATER.get();
        inf.reset();
        inf.setInput(encoded);
        int[] last = LAST_SIZE.get();
        int size = last[0] > 0 ? last[0] : Math.max(4096, encoded.length * 4);
        byte[] out = new byte[size];
        int n = 0;
        try {
            while (!inf.finished()) {
                if (n == out.length) {
                    if (out.length >= Integer.MAX_VALUE / 2) {
                        throw new IllegalStateException("deflate output too large");
                    }
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int k = inf.inflate(out, n, out.length - n);
                n += k;
                if (k == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) {
                    throw new IllegalStateException("deflate stream is truncated or needs a dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt deflate stream: " + e.getMessage(), e);
        }
        last[0] = n;
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}

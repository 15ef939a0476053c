package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import io.jhdf.object.datatype.VariableLength;
import io.jhdf.object.message.DataLayout;
import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.NumArray;

import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads whole HDF5 datasets into flat Java arrays and converts them to the types the model uses. Sizes are checked
 * against the dataset's dimensions and the heap before anything is allocated, and large datasets are read in
 * slices because one jhdf read allocates one Java array (and one ByteBuffer, limited to 2 GiB).
 */
public final class H5Arrays {
    /** Largest Java array we will allocate. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 16L;
    /** Elements per slice when a dataset is read in pieces (keeps each jhdf buffer far below 2 GiB). */
    static final int SLICE_ELEMENTS = 1 << 22;

    private H5Arrays() {
    }

    /** The numpy-level element type of a dataset, or null for compound / reference / other types. */
    public static DType dtype(Dataset ds) {
        return dtype(ds.getDataType());
    }

    /** The numpy-level element type of an HDF5 type, or null for compound / reference / other types. */
    public static DType dtype(DataType t) {
        if (t instanceof FixedPoint fp) {
            boolean s = fp.isSigned();
            return switch (fp.getSize()) {
                case 1 -> s ? DType.INT8 : DType.UINT8;
                case 2 -> s ? DType.INT16 : DType.UINT16;
                case 4 -> s ? DType.INT32 : DType.UINT32;
                case 8 -> s ? DType.INT64 : DType.UINT64;
                default -> null;
            };
        }
        if (t instanceof FloatingPoint) {
            return t.getSize() <= 4 ? DType.FLOAT32 : DType.FLOAT64;
        }
        if (t instanceof EnumDataType e) {
            // h5py writes numpy bool as an enum {FALSE: 0, TRUE: 1}
            var names = e.getEnumMapping().values();
            if (names.size() == 2 && names.contains("TRUE") && names.contains("FALSE")) {
                return DType.BOOL;
            }
            return DType.STRING;
        }
        if (t instanceof StringData) {
            return DType.STRING;
        }
        if (t instanceof VariableLength v && v.isVariableLengthString()) {
            return DType.STRING;
        }
        return null;
    }

    /** Number of elements, checked to fit one Java array. */
    public static int checkedSize(ReadContext ctx, Dataset ds) {
        long[] dims = dims(ctx, ds);
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw ctx.fail(ds.getPath(), "negative dimension");
            }
            if (d != 0 && n > MAX_ELEMENTS / d) {
                throw ctx.fail(ds.getPath(), "dataset of " + Arrays.toString(dims)
                        + " elements is too large to load whole; stream it with MatrixBlocks");
            }
            n *= d;
        }
        if (n > MAX_ELEMENTS) {
            throw ctx.fail(ds.getPath(), "dataset of " + n + " elements is too large to load whole; stream it"
                    + " with MatrixBlocks");
        }
        checkHeap(ctx, ds.getPath(), n * elementBytes(ds));
        checkStorage(ctx, ds, n);
        return (int) n;
    }

    /** Dimensions as longs; scalars have none. */
    public static long[] dims(ReadContext ctx, Dataset ds) {
        try {
            return ds.isScalar() ? new long[0] : ds.getDimensionsAsLong();
        } catch (RuntimeException e) {
            throw ctx.wrap(ds.getPath(), e);
        }
    }

    private static long elementBytes(Dataset ds) {
        DType t = dtype(ds);
        if (t == null || t == DType.STRING) {
            return 48; // a Java String per element, roughly
        }
        return Math.max(1, ds.getDataType().getSize());
    }

    /**
     * Refuses allocations larger than the whole heap, so that a forged or simply too large size gives a message
     * instead of an OutOfMemoryError. (Compared with the maximum heap rather than the free heap: the free figure
     * counts garbage not yet collected and would refuse reads that fit.)
     */
    public static void checkHeap(ReadContext ctx, String path, long bytes) {
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max - max / 8) {
            String msg = "needs " + bytes + " bytes but the heap is " + max
                    + " bytes; raise -Xmx (SCGRN_JAVA_OPTS) or stream it (scgrn infer --prep stream=on)";
            // the cause marks the failure as lack of memory (exit code 6), not a broken file
            throw new AnnDataException(ctx.file(), ReadContext.clean(path), msg, new OutOfMemoryError(msg));
        }
    }

    /** A contiguous dataset whose data would lie beyond its stored bytes is truncated or forged. */
    private static void checkStorage(ReadContext ctx, Dataset ds, long n) {
        try {
            if (ds.getDataLayout() == DataLayout.CONTIGUOUS && n > 0) {
                long need = n * ds.getDataType().getSize();
                long have = ds.getStorageInBytes();
                if (have < need || have > ctx.hdf().size()) {
                    throw ctx.fail(ds.getPath(), "dataset claims " + n + " elements (" + need
                            + " bytes) but stores " + have + " bytes: truncated or corrupt");
                }
            }
        } catch (AnnDataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ctx.wrap(ds.getPath(), e);
        }
    }

    /**
     * The whole dataset as a flat row-major array (byte[], short[], int[], long[], float[], double[], String[],
     * BigInteger[] or boolean[]). Large datasets are read slice by slice along the first dimension, in parallel
     * when {@code parallel} is true (each slice decompresses its own chunks, the main cost for gzip data).
     */
    public static Object readFlat(ReadContext ctx, Dataset ds, boolean parallel) {
        return readFlat(ctx, ds, parallel, SLICE_ELEMENTS);
    }

    /** {@link #readFlat(ReadContext, Dataset, boolean)} with a given slice size (tests use small ones). */
    static Object readFlat(ReadContext ctx, Dataset ds, boolean parallel, int sliceElements) {
        int n = checkedSize(ctx, ds);
        try {
            if (ds.isScalar()) {
                Object v = ds.getData();
                Object arr = Array.newInstance(unbox(v.getClass()), 1);
                Array.set(arr, 0, v);
                return arr;
            }
            if (n == 0) {
                return emptyOf(ds);
            }
            long[] dims = ds.getDimensionsAsLong();
            if (parallel) {
                Object fast = ChunkReads.read(ds, n);
                if (fast != null) {
                    return fast;
                }
            }
            long rowElems = n / dims[0];
            if (n <= sliceElements || dims[0] == 1) {
                Object data = ds.getDataFlat();
                if (data == null || Array.getLength(data) != n) {
                    throw ctx.fail(ds.getPath(), "read " + (data == null ? 0 : Array.getLength(data))
                            + " elements, expected " + n);
                }
                return data;
            }
            int rowsPerSlice = (int) Math.max(1, sliceElements / rowElems);
            if (ds instanceof ChunkedDataset cd && cd.getChunkDimensions().length > 0) {
                // align slices to chunks so that no chunk is decompressed twice
                int chunkRows = Math.max(1, cd.getChunkDimensions()[0]);
                rowsPerSlice = Math.max(chunkRows, rowsPerSlice / chunkRows * chunkRows);
            }
            return readSlices(ctx, ds, dims, n, rowsPerSlice, parallel);
        } catch (AnnDataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ctx.wrap(ds.getPath(), e);
        }
    }

    /**
     * Elements {@code [offset, offset+n)} of a 1-D dataset as a primitive array. Chunked 4/8-byte numeric datasets
     * decompress the chunks that overlap the range in parallel (a streamed block of a gzip matrix is otherwise
     * inflated on one thread); anything else goes through jhdf's sliced read.
     */
    public static Object readRange(ReadContext ctx, Dataset ds, long offset, int n) {
        try {
            Object fast = ChunkReads.readRange(ds, offset, n, 1);
            if (fast != null) {
                return fast;
            }
            return n == 0 ? emptyOf(ds) : ds.getData(new long[] {offset}, new int[] {n});
        } catch (AnnDataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ctx.wrap(ds.getPath(), e);
        }
    }

    private static Object readSlices(ReadContext ctx, Dataset ds, long[] dims, int n, int rowsPerSlice,
                                     boolean parallel) {
        int rank = dims.length;
        long rowElems = n / dims[0];
        Object first = null;
        Object out = null;
        List<long[]> slices = new ArrayList<>();
        for (long r = 0; r < dims[0]; r += rowsPerSlice) {
            slices.add(new long[] {r, Math.min(rowsPerSlice, dims[0] - r)});
        }
        // the first slice tells us the element class
        first = readSlice(ds, dims, slices.get(0), rank);
        Class<?> comp = first.getClass().getComponentType();
        out = Array.newInstance(comp, n);
        System.arraycopy(first, 0, out, 0, Array.getLength(first));
        final Object dest = out;
        if (parallel && slices.size() > 2) {
            // a parallel stream lets the calling thread work too (a submit-and-wait would leave it idle)
            IntStream.range(1, slices.size()).parallel()
                    .forEach(i -> copySlice(ds, dims, slices.get(i), rank, dest, rowElems));
        } else {
            for (int i = 1; i < slices.size(); i++) {
                copySlice(ds, dims, slices.get(i), rank, dest, rowElems);
            }
        }
        return out;
    }

    private static void copySlice(Dataset ds, long[] dims, long[] s, int rank, Object dest, long rowElems) {
        Object flat = readSlice(ds, dims, s, rank);
        System.arraycopy(flat, 0, dest, (int) (s[0] * rowElems), Array.getLength(flat));
    }

    private static Object readSlice(Dataset ds, long[] dims, long[] s, int rank) {
        long[] off = new long[rank];
        int[] shape = new int[rank];
        off[0] = s[0];
        shape[0] = (int) s[1];
        for (int d = 1; d < rank; d++) {
            shape[d] = (int) dims[d];
        }
        Object data = ds.getData(off, shape);
        return rank == 1 ? data : flatten(data, shape);
    }

    /** Copies a nested Java array (float[][] …) into a flat one. */
    static Object flatten(Object nested, int[] shape) {
        long total = 1;
        for (int d : shape) {
            total *= d;
        }
        Object leaf = nested;
        while (leaf.getClass().getComponentType().isArray()) {
            leaf = Array.getLength(leaf) == 0 ? null : Array.get(leaf, 0);
            if (leaf == null) {
                break;
            }
        }
        Class<?> comp = leaf == null ? Object.class : leaf.getClass().getComponentType();
        Object out = Array.newInstance(comp, (int) total);
        int[] pos = {0};
        copyNested(nested, out, pos);
        return out;
    }

    private static void copyNested(Object src, Object out, int[] pos) {
        if (!src.getClass().getComponentType().isArray()) {
            int len = Array.getLength(src);
            System.arraycopy(src, 0, out, pos[0], len);
            pos[0] += len;
            return;
        }
        int len = Array.getLength(src);
        for (int i = 0; i < len; i++) {
            copyNested(Array.get(src, i), out, pos);
        }
    }

    private static Object emptyOf(Dataset ds) {
        DType t = dtype(ds);
        if (t == null || t == DType.STRING) {
            return new String[0];
        }
        return t.fitsFloat() ? new float[0] : new double[0];
    }

    private static Class<?> unbox(Class<?> c) {
        if (c == Long.class) {
            return long.class;
        }
        if (c == Integer.class) {
            return int.class;
        }
        if (c == Short.class) {
            return short.class;
        }
        if (c == Byte.class) {
            return byte.class;
        }
        if (c == Float.class) {
            return float.class;
        }
        if (c == Double.class) {
            return double.class;
        }
        if (c == Boolean.class) {
            return boolean.class;
        }
        return c;
    }

    // ---------------------------------------------------------------- conversions

    /** Numbers kept exactly where they fit: F32 for float32 and small integers, F64 otherwise. */
    public static NumArray toNum(ReadContext ctx, String path, Object flat, DType dtype) {
        int n = Array.getLength(flat);
        if (dtype != null && dtype.fitsFloat() || flat instanceof float[]) {
            if (flat instanceof float[] f) {
                return new NumArray.F32(f);
            }
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (float) number(ctx, path, flat, i);
            }
            return new NumArray.F32(out);
        }
        if (flat instanceof double[] d) {
            return new NumArray.F64(d);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = number(ctx, path, flat, i);
        }
        return new NumArray.F64(out);
    }

    private static double number(ReadContext ctx, String path, Object flat, int i) {
        if (flat instanceof byte[] a) {
            return a[i];
        }
        if (flat instanceof short[] a) {
            return a[i];
        }
        if (flat instanceof int[] a) {
            return a[i];
        }
        if (flat instanceof long[] a) {
            return a[i];
        }
        if (flat instanceof float[] a) {
            return a[i];
        }
        if (flat instanceof double[] a) {
            return a[i];
        }
        if (flat instanceof BigInteger[] a) {
            return a[i].doubleValue();
        }
        if (flat instanceof boolean[] a) {
            return a[i] ? 1 : 0;
        }
        if (flat instanceof String[] a && (a[i].equals("TRUE") || a[i].equals("FALSE"))) {
            return a[i].equals("TRUE") ? 1 : 0;
        }
        throw ctx.fail(path, "expected numbers, found " + flat.getClass().getComponentType().getSimpleName());
    }

    /** Integers as int[], refusing values outside the int range (indices, codes). */
    public static int[] toInts(ReadContext ctx, String path, Object flat) {
        if (flat instanceof int[] a) {
            return a;
        }
        int n = Array.getLength(flat);
        int[] out = new int[n];
        if (flat instanceof long[] a) {
            for (int i = 0; i < n; i++) {
                long v = a[i];
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw ctx.fail(path, "value " + v + " at " + i + " does not fit a 32-bit index");
                }
                out[i] = (int) v;
            }
            return out;
        }
        if (flat instanceof byte[] || flat instanceof short[] || flat instanceof BigInteger[]) {
            for (int i = 0; i < n; i++) {
                double v = number(ctx, path, flat, i);
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw ctx.fail(path, "value " + v + " at " + i + " does not fit a 32-bit index");
                }
                out[i] = (int) v;
            }
            return out;
        }
        throw ctx.fail(path, "expected integers, found " + flat.getClass().getComponentType().getSimpleName());
    }

    /** Integers as long[] (indptr). */
    public static long[] toLongs(ReadContext ctx, String path, Object flat) {
        if (flat instanceof long[] a) {
            return a;
        }
        int n = Array.getLength(flat);
        long[] out = new long[n];
        if (flat instanceof int[] a) {
            for (int i = 0; i < n; i++) {
                out[i] = a[i];
            }
            return out;
        }
        if (flat instanceof byte[] || flat instanceof short[]) {
            for (int i = 0; i < n; i++) {
                out[i] = (long) number(ctx, path, flat, i);
            }
            return out;
        }
        if (flat instanceof BigInteger[] a) {
            for (int i = 0; i < n; i++) {
                if (a[i].bitLength() > 63) {
                    throw ctx.fail(path, "value " + a[i] + " at " + i + " does not fit 64 bits");
                }
                out[i] = a[i].longValue();
            }
            return out;
        }
        throw ctx.fail(path, "expected integers, found " + flat.getClass().getComponentType().getSimpleName());
    }

    /** Booleans from numpy bool (an enum read as TRUE/FALSE strings) or integers. */
    public static boolean[] toBools(ReadContext ctx, String path, Object flat) {
        if (flat instanceof boolean[] b) {
            return b;
        }
        int n = Array.getLength(flat);
        boolean[] out = new boolean[n];
        if (flat instanceof String[] s) {
            for (int i = 0; i < n; i++) {
                out[i] = "TRUE".equalsIgnoreCase(s[i]);
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = number(ctx, path, flat, i) != 0;
        }
        return out;
    }

    /** Strings; anything else is an error. */
    public static String[] toStrings(ReadContext ctx, String path, Object flat) {
        if (flat instanceof String[] s) {
            return s;
        }
        throw ctx.fail(path, "expected strings, found " + flat.getClass().getComponentType().getSimpleName());
    }
}

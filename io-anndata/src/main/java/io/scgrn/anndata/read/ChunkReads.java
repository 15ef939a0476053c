package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The fast path for the big 1-D datasets of a sparse matrix (data, indices): every chunk is decompressed on its
 * own thread (parallel decompression is what makes reading gzip data fast) and its bytes are decoded straight
 * into the destination array. jhdf's general path copies each chunk into a dataset-sized ByteBuffer and then
 * converts that buffer, which costs two extra copies of the whole dataset.
 */
final class ChunkReads {
    /** Below this many elements the general path is just as fast. */
    static final int MIN_ELEMENTS = 1 << 16;

    private ChunkReads() {
    }

    /**
     * The dataset as float[], double[], int[] or long[], or null when the fast path does not apply (not chunked,
     * not 1-D, another element type, or a chunk that is missing and must come from the fill value).
     */
    static Object read(Dataset ds, int n) {
        return readRange(ds, 0, n, MIN_ELEMENTS);
    }

    /**
     * Elements {@code [offset, offset+n)} of a 1-D chunked dataset as float[], double[], int[] or long[], every
     * chunk that overlaps the range decompressed on its own thread; null when the fast path does not apply (as
     * {@link #read}) or when {@code n < minElements}.
     */
    static Object readRange(Dataset ds, long offset, int n, int minElements) {
        if (!(ds instanceof ChunkedDataset cd) || n < minElements || n <= 0) {
            return null;
        }
        int[] chunkDims = cd.getChunkDimensions();
        if (chunkDims.length != 1 || chunkDims[0] <= 0 || ds.getDimensions().length != 1
                || offset < 0 || offset + n > ds.getDimensions()[0] || offset + n > Integer.MAX_VALUE) {
            return null;
        }
        DataType t = ds.getDataType();
        ByteOrder order;
        Object dest;
        if (t instanceof FloatingPoint fp && (t.getSize() == 4 || t.getSize() == 8)) {
            order = fp.getByteOrder();
            dest = t.getSize() == 4 ? new float[n] : new double[n];
        } else if (t instanceof FixedPoint fx && fx.isSigned() && (t.getSize() == 4 || t.getSize() == 8)) {
            order = fx.getByteOrder();
            dest = t.getSize() == 4 ? new int[n] : new long[n];
        } else {
            return null;
        }
        int chunk = chunkDims[0];
        int size = t.getSize();
        long end = offset + n;
        long firstChunk = offset / chunk;
        int nChunks = (int) ((end - 1) / chunk - firstChunk + 1);
        boolean deflateOnly = deflateOnly(ds);
        try {
            IntStream.range(0, nChunks).parallel().forEach(i -> {
                long start = (firstChunk + i) * chunk;
                long from = Math.max(start, offset);
                long to = Math.min(start + chunk, end);
                int skip = (int) (from - start);
                int len = (int) (to - from);
                int at = (int) (from - offset);
                byte[] bytes = deflateOnly ? inflate(cd, (int) start, chunk * size)
                        : cd.getDecompressedChunk(new int[] {(int) start});
                if (bytes.length < (long) (skip + len) * size) {
                    throw new IllegalStateException("chunk at " + start + " decompressed to " + bytes.length
                            + " bytes, expected " + (long) (skip + len) * size);
                }
                ByteBuffer bb = ByteBuffer.wrap(bytes, skip * size, len * size).slice().order(order);
                if (dest instanceof float[] f) {
                    bb.asFloatBuffer().get(f, at, len);
                } else if (dest instanceof double[] d) {
                    bb.asDoubleBuffer().get(d, at, len);
                } else if (dest instanceof int[] a) {
                    bb.asIntBuffer().get(a, at, len);
                } else {
                    bb.asLongBuffer().get((long[]) dest, at, len);
                }
            });
        } catch (HdfException e) {
            // e.g. a chunk that was never written (fill value): let jhdf's general path handle it
            if (e.getMessage() != null && e.getMessage().contains("No chunk")) {
                return null;
            }
            throw e;
        }
        return dest;
    }

    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
    private static final ThreadLocal<byte[][]> BUFFER = ThreadLocal.withInitial(() -> new byte[1][0]);

    /** True when the only filter is deflate, so chunks can be inflated here without jhdf's pipeline. */
    private static boolean deflateOnly(Dataset ds) {
        List<PipelineFilterWithData> filters = ds.getFilters();
        return filters.size() == 1 && filters.get(0).getId() == DeflateFilter.ID;
    }

    /**
     * Inflates one chunk straight from the file's (mapped) bytes into a per-thread buffer: no copy of the
     * compressed bytes and no new array per chunk. The returned array is reused by the next call on this thread,
     * so callers copy out of it before returning. A chunk stored unfiltered (HDF5 may skip an optional filter)
     * has exactly the chunk's byte size and is used as is.
     */
    private static byte[] inflate(ChunkedDataset cd, int off, int chunkBytes) {
        ByteBuffer raw = cd.getRawChunkBuffer(new int[] {off});
        byte[][] holder = BUFFER.get();
        if (holder[0].length < chunkBytes) {
            holder[0] = new byte[chunkBytes];
        }
        byte[] out = holder[0];
        if (raw.remaining() == chunkBytes) {
            // could be an unfiltered chunk; a deflate stream of exactly this size is also possible, so try first
            ByteBuffer copy = raw.duplicate();
            try {
                if (inflateInto(raw, out, chunkBytes) == chunkBytes) {
                    return out;
                }
            } catch (DataFormatException | IllegalStateException e) {
                // not deflate: fall through to the raw bytes
            }
            copy.get(out, 0, chunkBytes);
            return out;
        }
        try {
            int got = inflateInto(raw, out, chunkBytes);
            if (got != chunkBytes) {
                throw new IllegalStateException("chunk at " + off + " inflated to " + got + " bytes, expected "
                        + chunkBytes);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt deflate stream in chunk at " + off + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static int inflateInto(ByteBuffer raw, byte[] out, int chunkBytes) throws DataFormatException {
        Inflater inf = INFLATER.get();
        inf.reset();
        inf.setInput(raw);
        int n = 0;
        while (!inf.finished() && n < chunkBytes) {
            int k = inf.inflate(out, n, chunkBytes - n);
            n += k;
            if (k == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) {
                throw new IllegalStateException("deflate stream is truncated");
            }
        }
        if (!inf.finished()) {
            // output exactly full: let zlib read the end of the stream; any further byte means a too-long stream
            byte[] probe = new byte[1];
            if (inf.inflate(probe) != 0 || !inf.finished()) {
                throw new IllegalStateException("deflate stream is longer than the chunk");
            }
        }
        return n;
    }
}

package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

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
        if (!(ds instanceof ChunkedDataset cd) || n < MIN_ELEMENTS) {
            return null;
        }
        int[] chunkDims = cd.getChunkDimensions();
        if (chunkDims.length != 1 || chunkDims[0] <= 0 || ds.getDimensions().length != 1) {
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
        int nChunks = (int) ((n + (long) chunk - 1) / chunk);
        try {
            IntStream.range(0, nChunks).parallel().forEach(i -> {
                int off = i * chunk;
                int len = Math.min(chunk, n - off);
                byte[] bytes = cd.getDecompressedChunk(new int[] {off});
                if (bytes.length < (long) len * size) {
                    throw new IllegalStateException("chunk at " + off + " decompressed to " + bytes.length
                            + " bytes, expected " + (long) len * size);
                }
                ByteBuffer bb = ByteBuffer.wrap(bytes).order(order);
                if (dest instanceof float[] f) {
                    bb.asFloatBuffer().get(f, off, len);
                } else if (dest instanceof double[] d) {
                    bb.asDoubleBuffer().get(d, off, len);
                } else if (dest instanceof int[] a) {
                    bb.asIntBuffer().get(a, off, len);
                } else {
                    bb.asLongBuffer().get((long[]) dest, off, len);
                }
            });
        } catch (io.jhdf.exceptions.HdfException e) {
            // e.g. a chunk that was never written (fill value): let jhdf's general path handle it
            if (e.getMessage() != null && e.getMessage().contains("No chunk")) {
                return null;
            }
            throw e;
        }
        return dest;
    }
}

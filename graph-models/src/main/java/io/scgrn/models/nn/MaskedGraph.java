package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.Arrays;

/**
 * The candidate graph with self-loops, {@code A + I}, as a list of its stored entries on the device, and each
 * epoch's masked, normalised adjacency {@code Â = D^-1/2 (A + I − M) D^-1/2} made from it in O(entries) work: the
 * hidden edges' values set to 0, the degrees a sparse product with ones, and the entries scaled by the inverse square
 * roots of their row's and column's degrees. Before, each epoch wrote, normalised and scanned a dense [g, g] array
 * (g² per step: about three quarters of the epoch inputs' time at 2,896 genes, a TFs + 1,000 set with its decoys).
 *
 * <p>With DJL's PyTorch engine {@code Â} is a sparse COO array built on the device from the device-resident index
 * and value arrays ({@code torch.sparse_coo_tensor}; the engine-neutral {@code createCoo} copies from Java buffers,
 * a per-epoch upload); with another engine it is the same matrix made dense by a {@code put} into zeros.
 *
 * <pre>
 *   entries   e = nnz(A + I), row-major order (row, then column ascending)
 *   indices   [2, e] int64 (rows; columns)       values [e] float32
 *   Â         [g, g], sparse COO on PyTorch (not coalesced: entries unique, in order)
 * </pre>
 */
final class MaskedGraph implements AutoCloseable {
    private final int g;
    /** CSR row starts on the host [g + 1]: the entries of row i are {@code rowStart[i] .. rowStart[i + 1] − 1}. */
    private final int[] rowStart;
    /** Column of each entry on the host [e]. */
    private final int[] cols;
    private final NDManager manager;
    private final NDArray indices;
    private final NDArray rows;
    private final NDArray columns;
    private final NDArray ones;
    private final NDArray onesColumn;

    /**
     * @param parent    the manager the device arrays live under (in a sub-manager, closed by {@link #close})
     * @param adjacency [g, g] row-major symmetric 0/1 candidate graph; the self-loops are added here
     */
    MaskedGraph(NDManager parent, float[] adjacency, int g) {
        this.g = g;
        rowStart = new int[g + 1];
        int e = 0;
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                if (i == j || adjacency[i * g + j] != 0) {
                    e++;
                }
            }
            rowStart[i + 1] = e;
        }
        cols = new int[e];
        long[] idx = new long[2 * e];
        int q = 0;
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                if (i == j || adjacency[i * g + j] != 0) {
                    cols[q] = j;
                    idx[q] = i;
                    idx[e + q] = j;
                    q++;
                }
            }
        }
        manager = parent.newSubManager();
        indices = manager.create(idx, new Shape(2, e));
        rows = indices.get(0);
        columns = indices.get(1);
        ones = manager.ones(new Shape(e));
        onesColumn = manager.ones(new Shape(g, 1));
    }

    /** Stored entries, e. */
    int entries() {
        return cols.length;
    }

    /**
     * Position of entry (i, j) in the entry list.
     *
     * @throws IllegalArgumentException when (i, j) is not an entry of the graph
     */
    long position(int i, int j) {
        int k = Arrays.binarySearch(cols, rowStart[i], rowStart[i + 1], j);
        if (k < 0) {
            throw new IllegalArgumentException("no edge " + i + " - " + j);
        }
        return k;
    }

    /**
     * The epoch's normalised adjacency with the entries at {@code hidden} removed.
     *
     * @param hidden int64 [h] entry positions ({@link #position}) to remove (both directions of each hidden edge)
     * @param zeros  float32 [h] zeros
     * @return Â [g, g]: sparse COO on PyTorch, else dense; in the current manager scope of {@code hidden}'s caller
     */
    NDArray normalised(NDArray hidden, NDArray zeros) {
        NDArray v = ones.put(hidden, zeros);
        NDArray degrees = build(v).matMul(onesColumn).reshape(g);
        NDArray dInv = degrees.pow(-0.5f);
        return build(v.mul(dInv.get(rows)).muli(dInv.get(columns)));
    }

    /**
     * {@code A + I} itself, unnormalised (every entry 1).
     *
     * @return [g, g]: sparse COO on PyTorch, else dense; attached to {@code target}. On PyTorch it reads this
     *     graph's device arrays: close the graph only after the result
     */
    NDArray withSelfLoops(NDManager target) {
        NDArray a = build(ones);
        a.attach(target);
        return a;
    }

    /** [g, g] with {@code values} [e] at the graph's entries. */
    private NDArray build(NDArray values) {
        if (values instanceof PtNDArray && indices instanceof PtNDArray) {
            return JniUtils.createSparseCoo((PtNDArray) indices, (PtNDArray) values, new Shape(g, g));
        }
        return values.getManager().zeros(new Shape((long) g * g), DataType.FLOAT32)
                .put(rows.mul(g).add(columns), values).reshape(g, g);
    }

    @Override
    public void close() {
        manager.close();
    }
}

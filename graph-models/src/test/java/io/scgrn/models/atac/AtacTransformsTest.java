package io.scgrn.models.atac;

import io.scgrn.anndata.SparseMatrix;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.NumArray;
import io.scgrn.models.numerics.RandomizedSvd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

class AtacTransformsTest {
    /** 3 cells × 4 peaks: cell0 {0,1}, cell1 {1,2,3}, cell2 {1}. Counts 2 and 5 binarise to 1. */
    private static PeakMatrix tiny() {
        SparseMatrix m = new SparseMatrix(SparseMatrix.Layout.CSR, 3, 4, DType.FLOAT32,
                new NumArray.F32(new float[] {2, 1, 1, 5, 1, 1}), new int[] {0, 1, 1, 2, 3, 1},
                new long[] {0, 2, 5, 6});
        return PeakMatrix.binarise(m, new int[] {0, 1, 2});
    }

    @Test
    void binarisesAndSubsetsRows() {
        PeakMatrix p = tiny();
        assertArrayEquals(new int[] {0, 2, 5, 6}, p.indptr());
        assertArrayEquals(new int[] {0, 1, 1, 2, 3, 1}, p.indices());
        PeakMatrix sub = PeakMatrix.binarise(new SparseMatrix(SparseMatrix.Layout.CSR, 3, 4, DType.FLOAT32,
                new NumArray.F32(new float[] {2, 0, 1, 5, 1, 1}), new int[] {0, 1, 1, 2, 3, 1},
                new long[] {0, 2, 5, 6}), new int[] {2, 0});
        assertArrayEquals(new int[] {0, 1, 2}, sub.indptr()); // explicit zero dropped
        assertArrayEquals(new int[] {1, 0}, sub.indices());
        assertArrayEquals(new int[] {1, 3, 1, 1}, p.peakCounts());
    }

    @Test
    void tfidfMatchesHandComputation() {
        float[] v = AtacTransforms.tfidf(tiny());
        // cell0, peak0: log1p(1/2 * 3/1 * 1e4); cell1, peak1: log1p(1/3 * 3/3 * 1e4); cell2, peak1: log1p(1 * 1e4)
        assertEquals(Math.log1p(0.5 * 3 * 1e4), v[0], 1e-3);
        assertEquals(Math.log1p(1.0 / 3 * 1e4), v[2], 1e-3);
        assertEquals(Math.log1p(1e4), v[5], 1e-3);
    }

    @Test
    void randomizedSvdRecoversExactSingularValues() {
        // A = 3 e1 f1ᵀ + 1 e2 f2ᵀ on a 5 × 4 matrix with orthonormal e, f: singular values 3 and 1.
        double[] e1 = {0.6, 0.8, 0, 0, 0};
        double[] e2 = {0, 0, 1, 0, 0};
        double[] f1 = {0.5, 0.5, 0.5, 0.5};
        double[] f2 = {0.5, -0.5, 0.5, -0.5};
        double[] a = new double[20];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                a[i * 4 + j] = 3 * e1[i] * f1[j] + e2[i] * f2[j];
            }
        }
        RandomizedSvd.Operator op = new RandomizedSvd.Operator() {
            public int rows() {
                return 5;
            }

            public int cols() {
                return 4;
            }

            public void times(double[] x, int l, double[] out) {
                Arrays.fill(out, 0);
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 4; j++) {
                        for (int t = 0; t < l; t++) {
                            out[i * l + t] += a[i * 4 + j] * x[j * l + t];
                        }
                    }
                }
            }

            public void transposeTimes(double[] y, int l, double[] out) {
                Arrays.fill(out, 0);
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 4; j++) {
                        for (int t = 0; t < l; t++) {
                            out[j * l + t] += a[i * 4 + j] * y[i * l + t];
                        }
                    }
                }
            }
        };
        RandomizedSvd.Result r = RandomizedSvd.compute(op, 2, 2, 2, 42);
        assertEquals(3.0, r.s()[0], 1e-9);
        assertEquals(1.0, r.s()[1], 1e-9);
        // u1 = ±e1, sign fixed so that the largest entry is positive.
        assertEquals(0.6, r.u()[0], 1e-9);
        assertEquals(0.8, r.u()[2], 1e-9);
    }

    /**
     * The CSR operator's products, computed in column blocks, equal the plain products over all columns at once bit
     * for bit (each output the same sum in the same order), for sketch widths below, at and above the block width.
     */
    @Test
    void csrProductsEqualThePlainSumsBitForBit() {
        Random rnd = new Random(8);
        int n = 57;
        int p = 300;
        int[] indptr = new int[n + 1];
        List<Integer> idx = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            for (int q = 0; q < p; q++) {
                if (rnd.nextDouble() < 0.1) {
                    idx.add(q);
                }
            }
            indptr[c + 1] = idx.size();
        }
        PeakMatrix m = new PeakMatrix(n, p, indptr, idx.stream().mapToInt(Integer::intValue).toArray());
        float[] values = AtacTransforms.tfidf(m);
        RandomizedSvd.Operator op = AtacTransforms.csrOperator(m, values);
        for (int l : new int[] {1, 7, 8, 11, 41}) {
            double[] x = rnd.doubles((long) p * l).map(v -> v * 2 - 1).toArray();
            double[] y = rnd.doubles((long) n * l).map(v -> v * 2 - 1).toArray();
            double[] ax = new double[n * l];
            double[] aty = new double[p * l];
            for (int c = 0; c < n; c++) {
                for (int k = indptr[c]; k < indptr[c + 1]; k++) {
                    for (int j = 0; j < l; j++) {
                        ax[c * l + j] += values[k] * x[m.indices()[k] * l + j];
                    }
                }
            }
            // the transpose in the operator's four fixed row chunks, summed in chunk order
            double[][] part = new double[4][p * l];
            for (int ch = 0; ch < 4; ch++) {
                for (int c = n * ch / 4; c < n * (ch + 1) / 4; c++) {
                    for (int k = indptr[c]; k < indptr[c + 1]; k++) {
                        for (int j = 0; j < l; j++) {
                            part[ch][m.indices()[k] * l + j] += values[k] * y[c * l + j];
                        }
                    }
                }
            }
            for (double[] acc : part) {
                for (int i = 0; i < aty.length; i++) {
                    aty[i] += acc[i];
                }
            }
            double[] gotAx = new double[n * l];
            double[] gotAty = new double[p * l];
            op.times(x, l, gotAx);
            op.transposeTimes(y, l, gotAty);
            assertArrayEquals(ax, gotAx, 0.0, "A·x, l = " + l);
            assertArrayEquals(aty, gotAty, 0.0, "Aᵀ·y, l = " + l);
        }
    }

    @Test
    void lsiSeparatesTwoGroupsOfCells() {
        // 40 cells: the first 20 open peaks 0–9, the rest peaks 10–19, each with a shared peak 20.
        int n = 40;
        List<Integer> idx = new ArrayList<>();
        long[] ptr = new long[n + 1];
        Random rnd = new Random(1);
        for (int c = 0; c < n; c++) {
            int base = c < 20 ? 0 : 10;
            for (int p = 0; p < 10; p++) {
                if (rnd.nextDouble() < 0.6) {
                    idx.add(base + p);
                }
            }
            idx.add(20);
            ptr[c + 1] = idx.size();
        }
        float[] data = new float[idx.size()];
        Arrays.fill(data, 1);
        SparseMatrix m = new SparseMatrix(SparseMatrix.Layout.CSR, n, 21, DType.FLOAT32, new NumArray.F32(data),
                idx.stream().mapToInt(Integer::intValue).toArray(), ptr);
        PeakMatrix pm = PeakMatrix.binarise(m, IntStream.range(0, n).toArray());
        double[] lsi = AtacTransforms.lsi(pm, 2, 3);
        int d = AtacTransforms.lsiDims(pm, 2);
        // Cells of the same group are closer to each other than to the other group (cosine, unit rows).
        double within = 0;
        double between = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int t = 0; t < d; t++) {
                    dot += lsi[i * d + t] * lsi[j * d + t];
                }
                if ((i < 20) == (j < 20)) {
                    within += dot;
                } else {
                    between += dot;
                }
            }
        }
        assertEquals(true, within / 800 > between / 800 + 0.5, "within " + within / 800 + " between " + between / 800);
        // asked again (the ATAC step's cell states, metacells and smoothing do): the same values, each caller its
        // own copy, other dims or seed their own embedding
        double[] again = AtacTransforms.lsi(pm, 2, 3);
        assertArrayEquals(lsi, again);
        assertNotSame(lsi, again);
        again[0] = 42;
        assertArrayEquals(lsi, AtacTransforms.lsi(pm, 2, 3));
        assertEquals(n * AtacTransforms.lsiDims(pm, 3), AtacTransforms.lsi(pm, 3, 3).length);
        // the memo is keyed by the matrix: a copy of it with other data gets its own
        PeakMatrix other = PeakMatrix.binarise(new SparseMatrix(SparseMatrix.Layout.CSR, n, 21, DType.FLOAT32,
                new NumArray.F32(data), idx.stream().mapToInt(i -> 20 - i).toArray(), ptr),
                IntStream.range(0, n).toArray());
        assertFalse(Arrays.equals(lsi, AtacTransforms.lsi(other, 2, 3)));
    }
}

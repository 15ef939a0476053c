package io.scgrn.models.atac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.H5muWriter;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.MuData;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.numerics.Correlations;
import io.scgrn.models.numerics.DenseOperator;
import io.scgrn.models.numerics.Sampling;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multiome step's memory savings change no value: the pairing over the network's genes, the in-place cell
 * order, the metacells' lazily computed neighbours, the column-wise within-state correlations and the PCA's
 * standardised operator each give exactly what the whole-matrix computation they replace gave (its code is kept
 * here as the reference).
 */
class MultiomeMemoryTest {

    /** A kept gene's values do not depend on which other genes are kept: each cell's total is over all genes. */
    @Test
    void pairingTheNetworkGenesKeepsTheirValues() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(300, 80, 400, 8, 2, 0.1, 0.5, 3, 2.0));
        MuData md = sim.toMuData();
        MultiomeData full = MultiomeInputs.fromMuData(md, null, null, null);
        List<String> keep = new ArrayList<>(sim.tfs());
        for (int j = 0; j < full.nGenes(); j += 3) {
            keep.add(full.genes().get(j));
        }
        AnnData rna = md.mod().get("rna");
        AnnData atac = md.mod().get("atac");
        // at most as many genes as kept: only those; with the default cap (more than the file's 80): every gene
        MultiomeData sub = MultiomeInputs.pair(rna, atac, null, keep, new HashSet<>(keep).size());
        Set<String> kept = new HashSet<>(keep);
        assertEquals(full.genes().stream().filter(kept::contains).toList(), sub.genes(), "canonical gene order");
        assertTrue(sub.nGenes() < full.nGenes());
        assertEquals(full.genes(), MultiomeInputs.pair(rna, atac, null, keep).genes());
        // room for 10 more: the 10 most variable of the others join
        MultiomeData more = MultiomeInputs.pair(rna, atac, null, keep, kept.size() + 10);
        assertEquals(kept.size() + 10, more.nGenes());
        assertTrue(more.genes().containsAll(kept));
        Map<String, Integer> fullRow = new HashMap<>();
        for (int c = 0; c < full.nCells(); c++) {
            fullRow.put(full.cells().get(c), c);
        }
        Map<String, Integer> fullCol = new HashMap<>();
        for (int j = 0; j < full.nGenes(); j++) {
            fullCol.put(full.genes().get(j), j);
        }
        for (int c = 0; c < sub.nCells(); c++) {
            int fc = fullRow.get(sub.cells().get(c));
            for (int j = 0; j < sub.nGenes(); j++) {
                assertEquals(full.rna()[fc * full.nGenes() + fullCol.get(sub.genes().get(j))],
                        sub.rna()[c * sub.nGenes() + j], "cell " + sub.cells().get(c) + " gene " + sub.genes().get(j));
            }
        }
        // keeping every gene is the pairing of every gene, byte for byte
        MultiomeData all = MultiomeInputs.pair(rna, atac, null, new ArrayList<>(full.genes()));
        assertEquals(full.cells(), all.cells());
        assertArrayEquals(full.rna(), all.rna());
        assertArrayEquals(full.atac().indices(), all.atac().indices());
    }

    /** Columns chosen and reordered: their values as in the whole normalisation, in CSR, CSC and dense storage. */
    @Test
    void chosenColumnsAreNormalisedByEveryColumn() {
        // 3 cells × 4 genes of counts
        float[][] counts = {{1, 0, 5, 2}, {2, 3, 0, 0}, {0, 4, 1, 7}};
        float[] dense = new float[12];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(counts[i], 0, dense, i * 4, 4);
        }
        SparseMatrix csr = sparse(counts, true);
        SparseMatrix csc = sparse(counts, false);
        DenseMatrix dm = DenseMatrix.ofFloats(3, 4, dense);
        int[] rows = {2, 0, 1};
        int[] cols = {3, 1};
        float[] whole = MultiomeInputs.logNormalised(csr, rows);
        for (var x : List.of(csr, csc, dm)) {
            float[] part = MultiomeInputs.logNormalised(x, rows, cols);
            assertEquals(6, part.length);
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 2; k++) {
                    assertEquals(whole[i * 4 + cols[k]], part[i * 2 + k], x.getClass().getSimpleName());
                }
            }
        }
        assertEquals((float) Math.log1p(1e4 * 7 / 12), MultiomeInputs.logNormalised(csr, rows, cols)[0], 1e-4);
    }

    /** Beyond the kept genes, the most variable of the log-normalised others (counts), ties by name. */
    @Test
    void theMostVariableGenesFillTheCap() {
        // 4 cells × 5 genes of counts, each cell 10 in total: G0 constant, G1 and G4 vary most, G2 a little
        float[] x = {2, 8, 0, 0, 0, 2, 0, 1, 0, 7, 2, 8, 0, 0, 0, 2, 0, 1, 0, 7};
        DenseMatrix m = DenseMatrix.ofFloats(4, 5, x);
        List<String> names = List.of("G0", "G1", "G2", "G3", "G4");
        int[] rows = {0, 1, 2, 3};
        MultiomeInputs.RowTotals totals = MultiomeInputs.rowTotals(m, rows);
        assertEquals(Set.of("G3", "G1", "G4"),
                MultiomeInputs.genesForPairing(m, rows, names, List.of("G3"), 3, totals));
        assertEquals(Set.of("G3", "G1", "G4", "G2"),
                MultiomeInputs.genesForPairing(m, rows, names, List.of("G3"), 4, totals));
        assertEquals(Set.copyOf(names),
                MultiomeInputs.genesForPairing(m, rows, names, List.of("G3"), 5, totals));
    }

    /** {@code m} (rows × cols) as CSR ({@code byRows}) or CSC, zeros left out. */
    private static SparseMatrix sparse(float[][] m, boolean byRows) {
        int rows = m.length;
        int cols = m[0].length;
        int major = byRows ? rows : cols;
        int minor = byRows ? cols : rows;
        List<Float> data = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        long[] ptr = new long[major + 1];
        for (int a = 0; a < major; a++) {
            for (int b = 0; b < minor; b++) {
                float v = byRows ? m[a][b] : m[b][a];
                if (v != 0) {
                    data.add(v);
                    idx.add(b);
                }
            }
            ptr[a + 1] = data.size();
        }
        float[] v = new float[data.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = data.get(k);
        }
        return new SparseMatrix(byRows ? SparseMatrix.Layout.CSR : SparseMatrix.Layout.CSC, rows, cols, DType.FLOAT32,
                new NumArray.F32(v), idx.stream().mapToInt(Integer::intValue).toArray(), ptr);
    }

    /** More cells × genes than one Java array holds: a one-line error, not a negative array size. */
    @Test
    void tooManyValuesForOneArrayIsAClearError() {
        int n = 50_000;
        int g = 50_000;
        SparseMatrix empty = new SparseMatrix(SparseMatrix.Layout.CSR, n, g, DType.FLOAT32,
                new NumArray.F32(new float[0]), new int[0], new long[n + 1]);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        ModelException e = assertThrows(ModelException.class, () -> MultiomeInputs.logNormalised(empty, rows));
        assertTrue(e.getMessage().contains("50000 cells × 50000 genes"), e.getMessage());
        int[] cols = {0, 1, 2};
        assertEquals(3L * n, MultiomeInputs.logNormalised(empty, rows, cols).length, "3 kept genes fit");
    }

    @Test
    void rowsPermuteInPlaceAsACopyWould() {
        int n = 57;
        int g = 5;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = new float[n * g];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        int[] p = Sampling.permutation(n, rnd);
        Integer[] order = new Integer[n];
        float[] copy = new float[n * g];
        for (int i = 0; i < n; i++) {
            order[i] = p[i];
            System.arraycopy(x, p[i] * g, copy, i * g, g);
        }
        assertNotEquals(0, java.util.Arrays.compare(copy, x));
        assertArrayEquals(copy, MultiomeData.permuteRows(x, order, g));
    }

    /** Neighbours computed only for the seeds visited choose the metacells every cell's kNN chose. */
    @Test
    void lazyNeighboursChooseTheSameMetacells() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int[] shape : new int[][] {{400, 5, 60, 10}, {90, 3, 40, 12}, {30, 2, 30, 30}}) {
            int n = shape[0];
            int d = shape[1];
            double[] emb = new double[n * d];
            for (int i = 0; i < emb.length; i++) {
                // clusters, so that overlaps reject seeds
                emb[i] = (i / d) % 4 + 0.3 * rnd.nextGaussian();
            }
            int[][] lazy = Metacells.chooseMetacells(emb, d, n, shape[2], shape[3], 17);
            int[][] eager = eagerMetacells(Metacells.knn(emb, n, d, shape[3]), n, shape[2], shape[3], 17);
            assertEquals(eager.length, lazy.length);
            for (int m = 0; m < eager.length; m++) {
                assertArrayEquals(eager[m], lazy[m]);
            }
        }
    }

    /** The within-state correlations and the co-expression inflation equal the whole-matrix computation's. */
    @Test
    void columnwiseCorrelationsEqualTheWholeMatrixOnes() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(250, 60, 200, 6, 3, 0.1, 0.5, 3, 2.0));
        MultiomeData data = MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
        int[] state = new int[data.nCells()];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int c = 0; c < state.length; c++) {
            state[c] = rnd.nextInt(3);
        }
        List<String> tfs = new ArrayList<>(sim.tfs());
        tfs.add("NOT_A_GENE");
        tfs.add(sim.tfs().get(0));
        assertEquals(referenceWithin(data, tfs, state), CellStates.withinStateCorrelation(data, tfs, state));
        assertEquals(referenceInflation(data, tfs, state), CellStates.coexpressionInflation(data, tfs, state));
    }

    /** eRegulon scores by blocks of cells equal the plain definition, module by module, bit for bit. */
    @Test
    void moduleScoresEqualThePlainDefinition() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(150, 60, 200, 6, 3, 0.1, 0.5, 3, 2.0));
        MultiomeData data = MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
        int n = data.nCells();
        int g = data.nGenes();
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < g; j++) {
            index.put(data.genes().get(j), j);
        }
        Map<String, List<String>> modules = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(9);
        for (int m = 0; m < 11; m++) {
            List<String> genes = new ArrayList<>();
            for (int i = 0; i <= m; i++) {
                genes.add(data.genes().get(rnd.nextInt(g)));
            }
            modules.put("M" + m, genes);
        }
        float[] x = data.rna();
        double[] mean = new double[g];
        double[] sd = new double[g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                mean[j] += x[c * g + j];
            }
        }
        for (int j = 0; j < g; j++) {
            mean[j] /= n;
        }
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                double v = x[c * g + j] - mean[j];
                sd[j] += v * v;
            }
        }
        for (int j = 0; j < g; j++) {
            sd[j] = Math.sqrt(sd[j] / Math.max(1, n - 1));
        }
        List<List<String>> mods = new ArrayList<>(modules.values());
        float[] ref = new float[n * mods.size()];
        for (int m = 0; m < mods.size(); m++) {
            for (int c = 0; c < n; c++) {
                double s = 0;
                for (String gene : mods.get(m)) {
                    int j = index.get(gene);
                    s += sd[j] > 0 ? (x[c * g + j] - mean[j]) / sd[j] : 0;
                }
                ref[c * mods.size() + m] = (float) (s / mods.get(m).size());
            }
        }
        assertArrayEquals(ref, AtacAnalysis.moduleScores(data, modules, index));
    }

    /**
     * Gene activity as CSR holds, entry for entry, Signac's definition computed here the plain way, with its rows
     * selected in another order and a cell without a profile (−1) all NaN.
     */
    @Test
    void sparseGeneActivityEqualsTheDenseDefinition() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(220, 60, 300, 6, 3, 0.1, 0.5, 3, 2.0));
        MultiomeData data = MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
        List<String> genes = new ArrayList<>(data.loci().keySet());
        genes.sort(null);
        int n = data.nCells() + 2;
        int[] rows = new int[n];
        for (int i = 0; i < data.nCells(); i++) {
            rows[i] = data.nCells() - 1 - i;
        }
        rows[n - 2] = -1;
        rows[n - 1] = 3;
        int ng = genes.size();
        float[] ref = new float[n * ng];
        PeakMatrix m = data.atac();
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < ng; g++) {
                if (rows[i] < 0) {
                    ref[i * ng + g] = Float.NaN;
                    continue;
                }
                int c = rows[i];
                GenomicInterval region = data.loci().get(genes.get(g)).bodyWithUpstream(2_000);
                int count = 0;
                for (int k = m.indptr()[c]; k < m.indptr()[c + 1]; k++) {
                    if (data.peaks().get(m.indices()[k]).overlaps(region)) {
                        count++;
                    }
                }
                ref[i * ng + g] = count == 0 ? 0f : (float) Math.log1p(count * (1e4 / m.cellCount(c)));
            }
        }
        SparseMatrix csr = GeneActivity.selectRows(GeneActivity.computeSparse(data, genes, 2_000), rows);
        assertEquals(n, csr.nRows());
        assertEquals(ng, csr.nCols());
        float[] fromCsr = new float[n * ng];
        int nonZero = 0;
        for (int i = 0; i < n; i++) {
            for (long k = csr.indptr()[i]; k < csr.indptr()[i + 1]; k++) {
                if (k > csr.indptr()[i]) {
                    assertTrue(csr.indices()[(int) k] > csr.indices()[(int) k - 1], "columns ascend in row " + i);
                }
                fromCsr[i * ng + csr.indices()[(int) k]] = (float) csr.data().get((int) k);
                nonZero++;
            }
        }
        assertArrayEquals(ref, fromCsr);
        assertTrue(nonZero < n * ng / 2, "sparse: " + nonZero + " of " + n * ng);
    }

    /** The standardised operator's products equal those of the materialised clipped z-scores, bit for bit. */
    @Test
    void standardisedOperatorEqualsTheMaterialisedZScores() {
        int n = 40;
        int g = 7;
        SplittableRandom rnd = new SplittableRandom(9);
        float[] x = new float[n * g];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % g == 3 ? 2f : rnd.nextInt(4) == 0 ? 0f : (float) Math.exp(2 * rnd.nextGaussian());
        }
        double[] mean = DenseOperator.columnMeans(x, n, g);
        double[] sd = new double[g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                double v = x[c * g + j] - mean[j];
                sd[j] += v * v;
            }
        }
        for (int j = 0; j < g; j++) {
            sd[j] = Math.sqrt(sd[j] / (n - 1));
        }
        float[] z = new float[n * g];
        boolean clipped = false;
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                double v = sd[j] > 0 ? (x[c * g + j] - mean[j]) / sd[j] : 0;
                z[c * g + j] = (float) Math.max(-2, Math.min(2, v));
                clipped |= Math.abs(v) > 2;
            }
        }
        assertTrue(clipped, "the clip is exercised");
        DenseOperator ref = new DenseOperator(z, n, g, null);
        DenseOperator op = DenseOperator.standardised(x, n, g, mean, sd, 2);
        int l = 3;
        double[] in = new double[g * l];
        double[] y = new double[n * l];
        for (int i = 0; i < in.length; i++) {
            in[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextGaussian();
        }
        double[] a = new double[n * l];
        double[] b = new double[n * l];
        ref.times(in, l, a);
        op.times(in, l, b);
        assertArrayEquals(a, b);
        double[] at = new double[g * l];
        double[] bt = new double[g * l];
        ref.transposeTimes(y, l, at);
        op.transposeTimes(y, l, bt);
        assertArrayEquals(at, bt);
    }

    /**
     * An .h5mu read without its ATAC X pairs as the file read whole: the accessibility is binarised while it is
     * streamed from the file, also when the ATAC cells are stored in another order than the RNA cells.
     */
    @Test
    void accessibilityStreamedFromTheFilePairsAsInMemory(@TempDir Path tmp) {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(200, 60, 300, 6, 2, 0.1, 0.5, 3, 2.0));
        MuData md = sim.toMuData();
        AnnData atac = md.mod().get("atac");
        for (AnnData a : List.of(atac, reversedCsrRows(atac))) {
            LinkedHashMap<String, AnnData> mod = new LinkedHashMap<>(md.mod());
            mod.put("atac", a);
            Path f = tmp.resolve("m" + (a == atac ? 0 : 1) + ".h5mu");
            H5muWriter.write(f, new MuData(md.source(), md.axis(), md.obs(), md.var(), mod, md.uns(), md.kind()));
            MuData whole = AnnDataFiles.readAny(f);
            MuData lazy = AnnDataFiles.readAnyWithoutX(f, m -> m.equals("atac"));
            assertNull(lazy.mod().get("atac").x());
            assertNotNull(lazy.mod().get("rna").x());
            MultiomeData p = MultiomeInputs.fromMuData(whole, null, null, null);
            MultiomeData q = MultiomeInputs.fromMuData(lazy, null, null, null);
            assertEquals(p.cells(), q.cells());
            assertEquals(p.peakNames(), q.peakNames());
            assertArrayEquals(p.rna(), q.rna());
            assertArrayEquals(p.atac().indptr(), q.atac().indptr());
            assertArrayEquals(p.atac().indices(), q.atac().indices());
            assertTrue(q.atac().nnz() > 0);
        }
    }

    /** {@code a} with its cells in reverse order, X as CSR (the layout the streamed binarisation reads in one pass). */
    private static AnnData reversedCsrRows(AnnData a) {
        int n = a.nObs();
        float[][] rows = new float[n][];
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows[i] = a.x().rowAsFloats(n - 1 - i);
            names.add(a.obs().index().get(n - 1 - i));
        }
        return new AnnData(a.source(), a.h5Path(), DataFrame.empty(names), a.var(), sparse(rows, true), Map.of(),
                Map.of(), Map.of(), Map.of(), Map.of(), a.uns(), null);
    }

    // ---- the whole-matrix computations these replaced (sessions before 20), as references ----

    private static int[][] eagerMetacells(int[][] knn, int n, int nMeta, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] order = Sampling.permutation(n, rnd);
        List<int[]> chosen = new ArrayList<>();
        List<BitSet> sets = new ArrayList<>();
        int maxOverlap = (int) Math.floor(0.8 * k);
        for (int pass = 0; pass < 2 && chosen.size() < nMeta; pass++) {
            for (int seedCell : order) {
                if (chosen.size() >= nMeta) {
                    break;
                }
                BitSet b = new BitSet(n);
                for (int m : knn[seedCell]) {
                    b.set(m);
                }
                boolean ok = true;
                for (BitSet s : sets) {
                    BitSet x = (BitSet) s.clone();
                    x.and(b);
                    if (x.cardinality() > (pass == 0 ? maxOverlap : k - 1) || x.equals(b)) {
                        ok = false;
                        break;
                    }
                }
                if (ok) {
                    chosen.add(knn[seedCell]);
                    sets.add(b);
                }
            }
        }
        return chosen.toArray(int[][]::new);
    }

    private static List<Edge> referenceWithin(MultiomeData data, List<String> tfs, int[] state) {
        int n = data.nCells();
        int g = data.nGenes();
        float[][] cols = Correlations.standardisedColumns(CellStates.residual(data.rna().clone(), n, g, state), n, g);
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < g; j++) {
            index.putIfAbsent(data.genes().get(j), j);
        }
        List<Edge> out = new ArrayList<>();
        for (String tf : tfs.stream().distinct().toList()) {
            Integer t = index.get(tf);
            if (t == null) {
                continue;
            }
            for (int j = 0; j < g; j++) {
                if (j != t) {
                    double r = Correlations.dot(cols[t], cols[j]);
                    out.add(new Edge(tf, data.genes().get(j), Math.abs(r), r >= 0 ? 1 : -1, Double.NaN));
                }
            }
        }
        out.sort(Network.RANKING);
        return out;
    }

    private static double referenceInflation(MultiomeData data, List<String> tfs, int[] state) {
        int n = data.nCells();
        int g = data.nGenes();
        float[][] all = Correlations.standardisedColumns(data.rna(), n, g);
        float[][] within = Correlations.standardisedColumns(CellStates.residual(data.rna().clone(), n, g, state), n, g);
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < g; j++) {
            index.putIfAbsent(data.genes().get(j), j);
        }
        double a = 0;
        double w = 0;
        for (String tf : tfs.stream().distinct().toList()) {
            Integer t = index.get(tf);
            if (t == null) {
                continue;
            }
            for (int j = 0; j < g; j++) {
                if (j != t) {
                    double ra = Correlations.dot(all[t], all[j]);
                    double rw = Correlations.dot(within[t], within[j]);
                    a += ra * ra;
                    w += rw * rw;
                }
            }
        }
        return w > 0 ? a / w : Double.NaN;
    }
}

package io.scgrn.models.atac;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.MuData;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtacEndToEndTest {
    private static Simulation sim;
    private static MultiomeData data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void simulate() {
        sim = MultiomeSimulator.simulate(new SimulationConfig(600, 150, 1500, 15, 4, 0.1, 0.7, 3));
        MuData md = sim.toMuData();
        data = MultiomeInputs.fromMuData(md, null, null, null);
    }

    @Test
    void linksFindTrueEnhancersAndMotifPriorImprovesTheRnaModel() throws Exception {
        sim.writeTruth(tmp);
        MotifTable motifs = MotifTable.read(tmp.resolve("motifs.tsv"), data.peakNames(), data.peaks());
        AtacSettings settings = AtacSettings.defaults(3);
        AtacResult res = AtacAnalysis.run(data, sim.tfs(), motifs, settings, Progress.NONE);

        // Significant positive links are enriched for true enhancer–gene pairs relative to all candidates.
        Set<String> trueLinks = new HashSet<>();
        sim.peakGenes().forEach(p -> trueLinks.add(p.peak() + "\t" + p.gene()));
        long candTrue = res.links().stream().filter(l -> trueLinks.contains(key(l))).count();
        List<PeakGeneLink> sig = res.links().stream().filter(l -> l.significant() && l.r() > 0).toList();
        long sigTrue = sig.stream().filter(l -> trueLinks.contains(key(l))).count();
        double base = (double) candTrue / res.links().size();
        double precision = (double) sigTrue / sig.size();
        assertTrue(precision > 2 * base, "link precision " + precision + " vs base rate " + base);
        assertFalse(res.triplets().isEmpty());
        assertTrue(res.prior().stream().allMatch(e -> e.score() >= 0 && e.score() <= 1));

        List<String[]> pairs = new ArrayList<>();
        sim.edges().forEach(e -> pairs.add(new String[] {e.tf(), e.target()}));
        Truth truth = Evaluation.truth(pairs);
        ExpressionMatrix x = new ExpressionMatrix(data.rna(), data.cells(), data.genes());
        InferenceOptions opts = new InferenceOptions(3, "cpu", Map.of(), List.of());
        Network rna = Models.byName("pearson").infer(x, sim.tfs(), opts, Progress.NONE);
        Network multi = new AtacInformedModel(Models.byName("pearson"), res.prior(), res.informativeTargets(),
                settings.effectiveFloor(true).getAsDouble()).infer(x, sim.tfs(), opts, Progress.NONE);
        Scores r = Evaluation.score(rna, truth);
        Scores m = Evaluation.score(multi, truth);
        assertTrue(m.epr() > r.epr() && m.auprcRatio() > r.auprcRatio(),
                "multiome EPR " + m.epr() + " / AUPRC ratio " + m.auprcRatio() + " vs RNA " + r.epr() + " / "
                        + r.auprcRatio());
        assertEquals(rna.size(), multi.size());

        // Activities: one row per cell.
        assertEquals(data.nCells(), res.activity().nRows());
        assertEquals(res.activityGenes().size(), res.activity().nCols());
        assertEquals(data.nCells() * res.eRegulons().size(), res.eRegulonActivity().length);
    }

    private static String key(PeakGeneLink l) {
        return l.peak() + "\t" + data.genes().get(l.gene());
    }

    @Test
    void combineReweightsByPriorAndLeavesUninformativeTargetsNeutral() {
        Network rna = new Network(List.of(new Edge("T1", "A", 0.9, 1, Double.NaN),
                new Edge("T2", "A", 0.8, 1, Double.NaN), new Edge("T1", "B", 0.7, 1, Double.NaN),
                new Edge("T2", "C", 0.6, 1, Double.NaN)));
        List<Edge> prior = List.of(new Edge("T2", "A", 1.0, 0, Double.NaN));
        Network out = AtacInformedModel.combine(rna, prior, Set.of("A", "B"), 0.1);
        // T2→A: pct 0.75 × 1.0; T1→A: 1.0 × 0.1; T1→B: 0.5 × 0.1; C is uninformative: median weight (0.1) × 0.25.
        assertEquals("T2", out.edges().get(0).tf());
        assertEquals(0.75, out.edges().get(0).score(), 1e-12);
        assertEquals(0.1, out.edges().get(1).score(), 1e-12);
        assertEquals(0.05, out.edges().get(2).score(), 1e-12);
        assertEquals(0.025, out.edges().get(3).score(), 1e-12);
    }

    @Test
    void muonMultiomeFileEndToEnd() throws Exception {
        Path file = Path.of(getClass().getResource("/atac/test_rna_atac_2020.h5mu").toURI());
        MuData md = AnnDataFiles.readH5mu(file);
        assertEquals("atac", MultiomeInputs.findAtac(md, null).orElseThrow());
        MultiomeData d = MultiomeInputs.fromMuData(md, null, null, null);
        assertEquals(1000, d.nCells());
        assertEquals(45, d.nGenes());
        assertEquals(174, d.nPeaks());
        assertEquals(45, d.loci().size());
        AtacResult res = AtacAnalysis.run(d, d.genes(), null, AtacSettings.defaults(0), Progress.NONE);
        assertFalse(res.links().isEmpty());
        for (PeakGeneLink l : res.links()) {
            GeneLocus locus = d.loci().get(d.genes().get(l.gene()));
            assertEquals(locus.chrom(), d.peaks().get(l.peak()).chrom());
            assertTrue(l.distance() <= 100_000);
        }
        // Same seed, same result.
        AtacResult again = AtacAnalysis.run(d, d.genes(), null, AtacSettings.defaults(0), Progress.NONE);
        assertEquals(res.links(), again.links());
        assertEquals(res.prior(), again.prior());
        // Without the prior (a caller that will not apply it): nothing else changes.
        assertFalse(res.prior().isEmpty());
        AtacResult noPrior = AtacAnalysis.run(d, d.genes(), null, AtacSettings.defaults(0), Progress.NONE, false);
        assertTrue(noPrior.prior().isEmpty());
        assertEquals(res.triplets(), noPrior.triplets());
        assertEquals(res.eRegulons(), noPrior.eRegulons());
        assertArrayEquals(res.eRegulonActivity(), noPrior.eRegulonActivity());
        assertEquals(res.stateEdges(), noPrior.stateEdges());
    }

    @Test
    void theOrderOfCellsInEitherModalityDoesNotChangeThePairedData() {
        MuData md = sim.toMuData();
        AnnData rna = md.mod().get("rna");
        AnnData atac = md.mod().get("atac");
        MultiomeData a = MultiomeInputs.pair(rna, atac, null);
        MultiomeData b = MultiomeInputs.pair(reversedRows(rna), atac, null);
        MultiomeData c = MultiomeInputs.pair(rna, reversedRows(atac), null);
        assertSamePairedData(a, b, true);
        assertSamePairedData(a, c, false);
    }

    @Test
    void theOrderOfGenesAndPeaksInTheFilesDoesNotChangeThePairedData() {
        MuData md = sim.toMuData();
        AnnData rna = md.mod().get("rna");
        AnnData atac = md.mod().get("atac");
        MultiomeData a = MultiomeInputs.pair(rna, atac, null);
        MultiomeData b = MultiomeInputs.pair(reversedColumns(rna), reversedColumns(atac), null);
        assertSamePairedData(a, b, true);
    }

    /** Same genes, peaks, cells and values; with {@code analyse}, also the same links, prior and cell states. */
    private static void assertSamePairedData(MultiomeData a, MultiomeData b, boolean analyse) {
        assertEquals(a.genes(), b.genes());
        assertEquals(a.peakNames(), b.peakNames());
        assertEquals(a.cells(), b.cells());
        Assertions.assertArrayEquals(a.rna(), b.rna());
        Assertions.assertArrayEquals(a.atac().indptr(), b.atac().indptr());
        Assertions.assertArrayEquals(a.atac().indices(), b.atac().indices());
        if (analyse) {
            // so everything downstream is the same too
            AtacResult ra = AtacAnalysis.run(a, sim.tfs(), null, AtacSettings.defaults(3), Progress.NONE);
            AtacResult rb = AtacAnalysis.run(b, sim.tfs(), null, AtacSettings.defaults(3), Progress.NONE);
            assertEquals(ra.links(), rb.links());
            assertEquals(ra.prior(), rb.prior());
            Assertions.assertArrayEquals(ra.cellStates(), rb.cellStates());
        }
    }

    @Test
    void rnaIndexedByStableIdsPairsUnderItsSymbols() {
        MuData md = sim.toMuData();
        AnnData rna = md.mod().get("rna");
        AnnData atac = md.mod().get("atac");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < rna.nVars(); i++) {
            ids.add(String.format("ENSG%011d", i + 1));
        }
        List<Column> cols = new ArrayList<>(rna.var().columns());
        cols.add(new Column.Strings("gene_name", rna.var().index().toArray(String[]::new), "string-array"));
        AnnData byId = new AnnData(rna.source(), rna.h5Path(), rna.obs(), new DataFrame("gene_ids", ids, cols),
                rna.x(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), rna.uns(), null);
        MultiomeData a = MultiomeInputs.pair(rna, atac, null);
        MultiomeData b = MultiomeInputs.pair(byId, atac, null);
        assertEquals(a.genes(), b.genes());
        assertEquals(a.loci(), b.loci());
        Assertions.assertArrayEquals(a.rna(), b.rna());
    }

    @Test
    void aVarmMotifMatrixIsMatchedToThePeaksByName() {
        List<String> fileRows = List.of("chr2:1-100", "chr1:1-100", "chr9:5-50");
        List<String> paired = List.of("chr1:1-100", "chr2:1-100");
        DenseMatrix m = new DenseMatrix(3, 2, DType.FLOAT32, new NumArray.F32(new float[]{0, 2, 1, 0, 3, 3}));
        MotifTable t = MotifTable.fromMatrix(m, List.of("TFA", "TFB"), fileRows, paired);
        assertEquals(Set.of("TFA"), t.hits().get(0).keySet());
        assertEquals(Set.of("TFB"), t.hits().get(1).keySet());
        assertEquals(2, t.hits().size());
    }

    /** {@code a} with its genes or peaks (X columns and var rows) in reverse order (dense X). */
    private static AnnData reversedColumns(AnnData a) {
        int n = a.nObs();
        int g = a.nVars();
        float[] x = new float[n * g];
        for (int i = 0; i < n; i++) {
            float[] row = a.x().rowAsFloats(i);
            for (int j = 0; j < g; j++) {
                x[i * g + j] = row[g - 1 - j];
            }
        }
        List<String> names = new ArrayList<>(a.var().index());
        Collections.reverse(names);
        List<Column> cols = new ArrayList<>();
        for (Column c : a.var().columns()) {
            if (c instanceof Column.Strings s) {
                String[] v = new String[g];
                for (int j = 0; j < g; j++) {
                    v[j] = s.values()[g - 1 - j];
                }
                cols.add(new Column.Strings(s.name(), v, s.encoding()));
            } else if (c instanceof Column.Numeric num) {
                double[] v = new double[g];
                for (int j = 0; j < g; j++) {
                    v[j] = num.values().get(g - 1 - j);
                }
                cols.add(new Column.Numeric(num.name(), num.dtype(), new NumArray.F64(v), null, num.encoding()));
            } else if (c instanceof Column.Categorical cat) {
                int[] v = new int[g];
                for (int j = 0; j < g; j++) {
                    v[j] = cat.codes()[g - 1 - j];
                }
                cols.add(new Column.Categorical(cat.name(), v, cat.categories(), cat.ordered(), cat.categoryDtype(),
                        cat.encoding()));
            } else {
                throw new IllegalStateException("unexpected var column " + c.name());
            }
        }
        return new AnnData(a.source(), a.h5Path(), a.obs(), new DataFrame(a.var().indexName(), names, cols),
                new DenseMatrix(n, g, DType.FLOAT32, new NumArray.F32(x)), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), a.uns(), null);
    }

    /** {@code a} with its cells in reverse order (dense X, no obs columns). */
    private static AnnData reversedRows(AnnData a) {
        int n = a.nObs();
        int g = a.nVars();
        float[] x = new float[n * g];
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int src = n - 1 - i;
            System.arraycopy(a.x().rowAsFloats(src), 0, x, i * g, g);
            names.add(a.obs().index().get(src));
        }
        return new AnnData(a.source(), a.h5Path(), DataFrame.empty(names), a.var(),
                new DenseMatrix(n, g, DType.FLOAT32, new NumArray.F32(x)), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), a.uns(), null);
    }

    @Test
    void noSharedCellsIsAModelException() {
        AnnData rna = tinyAnnData(List.of("a", "b"), List.of("G1"), true);
        AnnData atac = tinyAnnData(List.of("x", "y"), List.of("chr1:1-100"), false);
        ModelException e = assertThrows(ModelException.class, () -> MultiomeInputs.pair(rna, atac, null));
        assertTrue(e.getMessage().contains("share no cell barcode"), e.getMessage());
    }

    @Test
    void peaksWithoutCoordinatesAreReported() {
        AnnData rna = tinyAnnData(List.of("a", "b"), List.of("G1"), true);
        AnnData atac = tinyAnnData(List.of("a", "b"), List.of("chr1:1-100", "peak_2"), false);
        ModelException e = assertThrows(ModelException.class, () -> MultiomeInputs.pair(rna, atac, null));
        assertTrue(e.getMessage().contains("1 of 2 peaks have no coordinates") && e.getMessage().contains("peak_2"),
                e.getMessage());
    }

    @Test
    void genesWithoutPositionsAreReported() throws Exception {
        AnnData rna = tinyAnnData(List.of("a", "b"), List.of("G1", "G2"), false);
        AnnData atac = tinyAnnData(List.of("a", "b"), List.of("chr1:1-100"), false);
        ModelException e = assertThrows(ModelException.class, () -> MultiomeInputs.pair(rna, atac, null));
        assertTrue(e.getMessage().contains("none of the 2 RNA genes has a known position"), e.getMessage());
        Path bed = tmp.resolve("genes.bed");
        Files.writeString(bed, "chr1\t10\t500\tOTHER\t0\t+\n");
        e = assertThrows(ModelException.class, () -> MultiomeInputs.pair(rna, atac, bed));
        assertTrue(e.getMessage().contains(bed.toString()), e.getMessage());
        Files.writeString(bed, "chr1\t10\t500\tG1\t0\t+\n");
        MultiomeData d = MultiomeInputs.pair(rna, atac, bed);
        assertEquals(Set.of("G1"), d.loci().keySet());
    }

    @Test
    void motifFileWithForeignPeaksIsReported() throws Exception {
        Path motifs = tmp.resolve("motifs.tsv");
        Files.writeString(motifs, "peak\ttf\tscore\nchr9:1-2\tTF1\t1\nchr9:5-6\tTF2\t1\n"
                + data.peakNames().get(0) + "\tTF1\t1\n");
        ModelException e = assertThrows(ModelException.class,
                () -> MotifTable.read(motifs, data.peakNames(), data.peaks()));
        assertTrue(e.getMessage().contains("2 of 3 rows name a peak not in the ATAC data")
                && e.getMessage().contains("chr9:1-2"), e.getMessage());
        // Separator differences still match (chr-start-end vs chr:start-end), and wide tables work.
        GenomicInterval p0 = data.peaks().get(0);
        Files.writeString(motifs, "peak\tTF1\tTF2\n" + p0.chrom() + "-" + p0.start() + "-" + p0.end() + "\t0\t2.5\n");
        MotifTable t = MotifTable.read(motifs, data.peakNames(), data.peaks());
        assertEquals(Map.of("TF2", 1.0), t.hits().get(0));
    }

    @Test
    void cscAndCsrExpressionGiveTheSameNormalisedValues() {
        // 3 cells x 2 genes of counts [[1,0],[2,3],[0,4]] in both layouts; cells paired in reverse order.
        SparseMatrix csr = new SparseMatrix(SparseMatrix.Layout.CSR,
                3, 2, DType.FLOAT32, new NumArray.F32(new float[] {1, 2, 3, 4}),
                new int[] {0, 0, 1, 1}, new long[] {0, 1, 3, 4});
        SparseMatrix csc = new SparseMatrix(SparseMatrix.Layout.CSC,
                3, 2, DType.FLOAT32, new NumArray.F32(new float[] {1, 2, 3, 4}),
                new int[] {0, 1, 1, 2}, new long[] {0, 2, 4});
        int[] rows = {2, 1, 0};
        float[] a = MultiomeInputs.logNormalised(csr, rows);
        float[] b = MultiomeInputs.logNormalised(csc, rows);
        Assertions.assertArrayEquals(a, b);
        assertEquals((float) Math.log1p(1e4 * 3 / 5), a[2 * 1 + 1], 1e-4); // cell 1, gene 1: 3 of 5 counts
        assertEquals(0f, a[0]); // output row 0 = input cell 2, gene 0
    }

    private static AnnData tinyAnnData(List<String> cells, List<String> vars, boolean withInterval) {
        DataFrame var = withInterval ? new DataFrame("_index", vars, List.of(new Column.Strings(
                "interval", vars.stream().map(v -> "chr1:1000-2000").toArray(String[]::new), "string-array")))
                : DataFrame.empty(vars);
        float[] x = new float[cells.size() * vars.size()];
        Arrays.fill(x, 1);
        return new AnnData(null, "/", DataFrame.empty(cells), var, DenseMatrix.ofFloats(cells.size(), vars.size(), x),
                Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null);
    }
}

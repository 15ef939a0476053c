package io.scgrn.models.atac;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.MatrixBlocks;
import io.scgrn.anndata.MuData;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.anndata.VarNames;
import io.scgrn.models.ModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Finds the RNA and ATAC modalities of a MuData (or pairs two AnnData objects by barcode) and builds a
 * {@link MultiomeData}: shared cells only, peak coordinates parsed, gene positions looked up, RNA normalised.
 */
public final class MultiomeInputs {
    private static final Logger LOG = LoggerFactory.getLogger(MultiomeInputs.class);
    private static final List<String> ATAC_NAMES = List.of("atac", "peaks", "chromatin", "atac_peaks");
    private static final List<String> RNA_NAMES = List.of("rna", "gex", "gene expression", "expression");
    /** The most values one Java array holds (a few below Integer.MAX_VALUE, as the JDK's own collections assume). */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    /**
     * The most RNA genes the ATAC step pairs when told the network's genes: those and then the most variable up to
     * this many ({@link #genesForPairing}; 2,000 as scanpy's and Seurat's variable genes for PCA). Files with no
     * more genes than this pair every gene, as before the cap.
     */
    static final int MAX_PAIRED_GENES = 2000;

    private MultiomeInputs() {
    }

    /**
     * The name of the accessibility modality: {@code wanted} if given (must exist), else one named atac/peaks
     * (any case) or whose var {@code feature_types} is "Peaks".
     *
     * @return the name, or empty when the data has no ATAC modality
     */
    public static Optional<String> findAtac(MuData md, String wanted) {
        if (wanted != null) {
            if (!md.mod().containsKey(wanted)) {
                throw new ModelException("atac-mod", "no modality '" + wanted + "'; available: "
                        + String.join(", ", md.mod().keySet()));
            }
            return Optional.of(wanted);
        }
        for (Map.Entry<String, AnnData> e : md.mod().entrySet()) {
            if (ATAC_NAMES.contains(e.getKey().toLowerCase(Locale.ROOT)) || featureType(e.getValue(), "peaks")) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** The name of the expression modality: {@code wanted}, a conventional name, or the only non-ATAC one. */
    public static String findRna(MuData md, String wanted, String atacName) {
        if (wanted != null) {
            if (!md.mod().containsKey(wanted)) {
                throw new ModelException("rna-mod", "no modality '" + wanted + "'; available: "
                        + String.join(", ", md.mod().keySet()));
            }
            return wanted;
        }
        for (Map.Entry<String, AnnData> e : md.mod().entrySet()) {
            if (RNA_NAMES.contains(e.getKey().toLowerCase(Locale.ROOT))
                    || featureType(e.getValue(), "gene expression")) {
                return e.getKey();
            }
        }
        List<String> others = md.mod().keySet().stream().filter(n -> !n.equals(atacName)).toList();
        if (others.size() == 1) {
            return others.get(0);
        }
        throw new ModelException("rna-mod", "cannot tell which modality holds gene expression; choose one of: "
                + String.join(", ", others));
    }

    private static boolean featureType(AnnData a, String type) {
        Optional<String[]> ft = GeneAnnotations.strings(a.var(), List.of("feature_types", "feature_type"));
        if (ft.isEmpty() || ft.get().length == 0) {
            return false;
        }
        for (String s : ft.get()) {
            if (s == null || !s.toLowerCase(Locale.ROOT).equals(type)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Pairs {@code rna} and {@code atac} by cell barcode (obs index). The result holds its genes, peaks and cells
     * in a canonical order ({@link MultiomeData#inCanonicalFeatureOrder}, {@link MultiomeData#inCanonicalCellOrder}),
     * not the files': match anything aligned with a file's rows or columns by name.
     *
     * @param geneFile a BED/GTF of gene positions, or null to use the RNA var table
     * @throws ModelException when they share no cells, no peak has coordinates, or no gene has a position
     */
    public static MultiomeData pair(AnnData rna, AnnData atac, Path geneFile) {
        return pair(rna, atac, geneFile, null);
    }

    /**
     * {@link #pair(AnnData, AnnData, Path)} over the RNA genes named in {@code keepGenes} (the network's genes: the
     * TFs and the variable genes preparation kept) and then the most variable others, {@value #MAX_PAIRED_GENES}
     * genes in all ({@link #genesForPairing}). A 10x Multiome file holds ~36,000 genes, most of them unexpressed;
     * cells × all genes as dense floats is 1.5 GB at 10,000 cells and past Java's array limit at 60,000. Each cell
     * is still normalised by its total over all genes, so a kept gene's values are the same as with every gene.
     *
     * @param keepGenes RNA gene names (as {@link VarNames} gives them) always kept, or null for all genes
     */
    public static MultiomeData pair(AnnData rna, AnnData atac, Path geneFile, Collection<String> keepGenes) {
        return pair(rna, atac, geneFile, keepGenes, MAX_PAIRED_GENES);
    }

    /** {@link #pair(AnnData, AnnData, Path, Collection)} with at most {@code maxGenes} genes (tests). */
    static MultiomeData pair(AnnData rna, AnnData atac, Path geneFile, Collection<String> keepGenes, int maxGenes) {
        if (rna.x() == null) {
            throw new ModelException("rna", "the expression modality has no X matrix");
        }
        if (atac.x() == null && atac.source() == null) {
            throw new ModelException("atac", "the accessibility modality has no X matrix");
        }
        Map<String, Integer> atacRow = new HashMap<>();
        List<String> atacCells = atac.obs().index();
        for (int i = 0; i < atacCells.size(); i++) {
            atacRow.putIfAbsent(atacCells.get(i), i);
        }
        List<String> shared = new ArrayList<>();
        List<Integer> rnaRows = new ArrayList<>();
        List<Integer> atacRows = new ArrayList<>();
        List<String> rnaCells = rna.obs().index();
        for (int i = 0; i < rnaCells.size(); i++) {
            Integer j = atacRow.get(rnaCells.get(i));
            if (j != null) {
                shared.add(rnaCells.get(i));
                rnaRows.add(i);
                atacRows.add(j);
            }
        }
        int rnaOnly = rnaCells.size() - shared.size();
        int atacOnly = atacCells.size() - shared.size();
        if (shared.isEmpty()) {
            throw new ModelException("cells", "RNA (" + rnaCells.size() + " cells) and ATAC (" + atacCells.size()
                    + " cells) share no cell barcode, e.g. RNA '" + first(rnaCells) + "' vs ATAC '"
                    + first(atacCells) + "'");
        }
        if (shared.size() < 2) {
            throw new ModelException("cells", "RNA and ATAC share only " + shared.size() + " cell; need at least 2");
        }
        if (rnaOnly > 0 || atacOnly > 0) {
            LOG.warn("multiome: {} cells only in RNA and {} only in ATAC were dropped; {} shared", rnaOnly,
                    atacOnly, shared.size());
        }
        List<GenomicInterval> peaks = peakIntervals(atac);
        Map<String, GeneLocus> loci = sameNaming(geneFile != null ? GeneAnnotations.read(geneFile)
                : GeneAnnotations.fromVar(rna.var()), peaks);
        // the names the RNA model uses (symbols where var is indexed by stable ids), so that the two meet
        List<String> allGenes = VarNames.of(rna.var()).names();
        int[] ar = atacRows.stream().mapToInt(Integer::intValue).toArray();
        int[] rr = rnaRows.stream().mapToInt(Integer::intValue).toArray();
        RowTotals totals = rowTotals(rna.x(), rr);
        int[] cols = canonicalColumns(allGenes, keepGenes == null ? null
                : genesForPairing(rna.x(), rr, allGenes, keepGenes, maxGenes, totals));
        List<String> genes = Arrays.stream(cols).mapToObj(allGenes::get).toList();
        long known = genes.stream().filter(loci::containsKey).count();
        if (known == 0) {
            throw new ModelException("genes", "none of the " + genes.size() + " RNA genes has a known position "
                    + (geneFile != null ? "in " + geneFile + " (e.g. '" + first(genes) + "')"
                    : "(no interval or chrom/start/end columns in the RNA var table; pass --genes GTF|BED)"));
        }
        if (known < genes.size()) {
            LOG.info("multiome: {} of {} genes have a known position", known, genes.size());
        }
        PeakMatrix pm = atac.x() != null ? PeakMatrix.binarise(atac.x(), ar) : binariseFromFile(atac, ar);
        float[] expr = logNormalised(rna.x(), rr, cols, totals);
        List<String> labels = cellLabels(rna, rr);
        // genes, peaks and cells in an order of their names and values: the file's order must not change links,
        // states or the network
        return new MultiomeData(shared, genes, expr, peaks, atac.var().index(), pm, loci, labels, rnaOnly, atacOnly)
                .inCanonicalFeatureOrderInPlace().inCanonicalCellOrderInPlace();
    }

    /** Pairs the modalities of {@code md}, detecting their names unless given. */
    public static MultiomeData fromMuData(MuData md, String rnaMod, String atacMod, Path geneFile) {
        String atacName = findAtac(md, atacMod).orElseThrow(() -> new ModelException("atac-mod",
                "no accessibility modality (named atac/peaks or with feature_types Peaks); available: "
                        + String.join(", ", md.mod().keySet())));
        String rnaName = findRna(md, rnaMod, atacName);
        return pair(md.mod().get(rnaName), md.mod().get(atacName), geneFile);
    }

    /**
     * Gene loci renamed to the peaks' chromosome naming where the two differ (an Ensembl GTF with {@code 1} next to
     * 10x peaks on {@code chr1}): without it no peak would link to any gene.
     */
    static Map<String, GeneLocus> sameNaming(Map<String, GeneLocus> loci, List<GenomicInterval> peaks) {
        Set<String> peakChroms = new LinkedHashSet<>();
        peaks.forEach(p -> peakChroms.add(p.chrom()));
        Set<String> geneChroms = new LinkedHashSet<>();
        loci.values().forEach(l -> geneChroms.add(l.chrom()));
        Map<String, String> map = ContigNames.map(geneChroms, peakChroms);
        if (map.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()))) {
            return loci;
        }
        LOG.info("multiome: gene chromosomes renamed to the peaks' naming (e.g. {} -> {})",
                map.entrySet().stream().filter(e -> !e.getKey().equals(e.getValue())).findFirst()
                        .map(Map.Entry::getKey).orElse(""),
                map.entrySet().stream().filter(e -> !e.getKey().equals(e.getValue())).findFirst()
                        .map(Map.Entry::getValue).orElse(""));
        Map<String, GeneLocus> out = new LinkedHashMap<>();
        loci.forEach((g, l) -> out.put(g, new GeneLocus(l.gene(), map.getOrDefault(l.chrom(), l.chrom()), l.start(),
                l.end(), l.strand())));
        return out;
    }

    /**
     * Peak intervals from var columns ({@code interval}, or chrom/start/end) or else the var names.
     *
     * @throws ModelException naming how many peaks have no coordinates, with an example
     */
    public static List<GenomicInterval> peakIntervals(AnnData atac) {
        Map<String, GeneLocus> fromCols = GeneAnnotations.fromVar(atac.var());
        List<String> names = atac.var().index();
        List<GenomicInterval> out = new ArrayList<>(names.size());
        int bad = 0;
        String example = null;
        for (String n : names) {
            GeneLocus l = fromCols.get(n);
            GenomicInterval iv = l != null ? new GenomicInterval(l.chrom(), l.start(), l.end())
                    : GenomicInterval.tryParse(n);
            if (iv == null) {
                bad++;
                if (example == null) {
                    example = n;
                }
                iv = null;
            }
            out.add(iv);
        }
        if (bad > 0) {
            throw new ModelException("atac var", bad + " of " + names.size() + " peaks have no coordinates (e.g. '"
                    + example + "'); name peaks chr:start-end, chr-start-end or chr_start_end, or add an "
                    + "'interval' or chrom/start/end columns");
        }
        return out;
    }

    /**
     * The accessibility of an AnnData read without its X ({@code AnnDataFiles.readAnyWithoutX}), binarised while it
     * is streamed from {@code <modality>/X} of its file.
     */
    private static PeakMatrix binariseFromFile(AnnData atac, int[] rows) {
        String path = (atac.h5Path() == null || atac.h5Path().equals("/") ? "" : atac.h5Path()) + "/X";
        MatrixBlocks blocks;
        try {
            blocks = MatrixBlocks.open(atac.source(), path);
        } catch (AnnDataException e) {
            throw new ModelException("atac", "the accessibility modality has no readable X matrix: "
                    + e.getMessage());
        }
        try (blocks) {
            if (blocks.nRows() != atac.nObs() || blocks.nCols() != atac.nVars()) {
                throw new ModelException("atac X", atac.source() + " " + path + " is " + blocks.nRows() + " × "
                        + blocks.nCols() + ", its obs × var " + atac.nObs() + " × " + atac.nVars());
            }
            return PeakMatrix.binarise(blocks, rows);
        } catch (IllegalArgumentException e) {
            throw new ModelException("atac X", e.getMessage());
        }
    }

    private static List<String> cellLabels(AnnData rna, int[] rows) {
        for (String name : List.of("cell_type", "celltype", "cell_types", "leiden", "louvain", "cluster")) {
            Optional<Column> c = rna.obs().column(name);
            if (c.isPresent() && c.get() instanceof Column.Categorical cat) {
                List<String> out = new ArrayList<>(rows.length);
                for (int r : rows) {
                    out.add(cat.label(r));
                }
                return out;
            }
        }
        return List.of();
    }

    /**
     * The columns of {@code names} that are in {@code keep} (all when null), in the canonical gene order (by name;
     * equal names in file order: {@link MultiomeData#inCanonicalFeatureOrder}), so that the pairing writes the
     * expression in that order once instead of copying it.
     */
    static int[] canonicalColumns(List<String> names, Collection<String> keep) {
        Set<String> wanted = keep == null ? null : new HashSet<>(keep);
        Integer[] cols = IntStream.range(0, names.size()).filter(j -> wanted == null || wanted.contains(names.get(j)))
                .boxed().toArray(Integer[]::new);
        Arrays.sort(cols, Comparator.comparing(names::get));
        return Arrays.stream(cols).mapToInt(Integer::intValue).toArray();
    }

    /**
     * Each cell's total over all its columns, and whether the matrix holds counts (every stored value a non-negative
     * integer): what the log-normalisation and the choice of variable genes both read, in one pass.
     *
     * @param total  per output row (rows order), summed in the matrix's stored order
     * @param counts true when every stored value is a non-negative integer
     */
    record RowTotals(double[] total, boolean counts) {
        /** The value's log-normalised form: log1p(10⁴ · v / total) for counts, else v as given. */
        double scale(int row, double v) {
            return counts ? Math.log1p(v * (total[row] > 0 ? 1e4 / total[row] : 0)) : v;
        }
    }

    /**
     * {@link RowTotals} of rows {@code rows} of x.
     *
     * @throws ModelException when x holds NaN or infinite values
     */
    static RowTotals rowTotals(Matrix x, int[] rows) {
        double[] total = new double[rows.length];
        boolean[] counts = {true};
        forEachEntry(x, rows, (i, j, v) -> {
            if (Float.isNaN(v) || Float.isInfinite(v)) {
                throw new ModelException("rna X", "contains NaN or infinite values");
            }
            if (v < 0 || v != Math.rint(v)) {
                counts[0] = false;
            }
            total[i] += v;
        });
        return new RowTotals(total, counts[0]);
    }

    /**
     * Rows {@code rows} and columns {@code cols} (in that order) of an expression matrix as log1p(10⁴ · x / total)
     * when it holds counts (non-negative integers), else as given (already normalised). A cell's total is over all
     * its columns, kept or not; the counts test reads every stored value.
     *
     * @return rows × cols, row-major
     * @throws ModelException when rows × cols exceeds a Java array
     */
    static float[] logNormalised(Matrix x, int[] rows, int[] cols) {
        return logNormalised(x, rows, cols, rowTotals(x, rows));
    }

    /** {@link #logNormalised(Matrix, int[], int[])} with the rows' totals already known. */
    static float[] logNormalised(Matrix x, int[] rows, int[] cols, RowTotals totals) {
        int g = x.nCols();
        if ((long) rows.length * cols.length > MAX_VALUES) {
            throw new ModelException("rna X", rows.length + " cells × " + cols.length + " genes is more than "
                    + MAX_VALUES + " values, the most the multiome step holds");
        }
        int gk = cols.length;
        int[] outCol = new int[g];
        Arrays.fill(outCol, -1);
        for (int k = 0; k < gk; k++) {
            outCol[cols[k]] = k;
        }
        float[] out = new float[rows.length * gk];
        forEachEntry(x, rows, (i, j, v) -> {
            int o = outCol[j];
            if (o >= 0) {
                out[i * gk + o] += v;
            }
        });
        if (totals.counts()) {
            for (int i = 0; i < rows.length; i++) {
                double f = totals.total()[i] > 0 ? 1e4 / totals.total()[i] : 0;
                for (int k = 0; k < gk; k++) {
                    out[i * gk + k] = (float) Math.log1p(out[i * gk + k] * f);
                }
            }
        }
        return out;
    }

    /**
     * Every stored value of rows {@code rows} of x, as (output row, file column, value): CSC column by column (rows
     * in ascending column order per row), CSR and dense row by row.
     */
    private static void forEachEntry(Matrix x, int[] rows, EntryVisitor visit) {
        int g = x.nCols();
        if (x instanceof SparseMatrix s && s.layout() == SparseMatrix.Layout.CSC) {
            int[] outRow = new int[s.nRows()];
            Arrays.fill(outRow, -1);
            for (int i = 0; i < rows.length; i++) {
                outRow[rows[i]] = i;
            }
            for (int j = 0; j < g; j++) {
                for (long k = s.indptr()[j]; k < s.indptr()[j + 1]; k++) {
                    int i = outRow[s.indices()[(int) k]];
                    if (i >= 0) {
                        visit.accept(i, j, s.data().getFloat((int) k));
                    }
                }
            }
        } else if (x instanceof SparseMatrix s) {
            for (int i = 0; i < rows.length; i++) {
                for (long k = s.indptr()[rows[i]]; k < s.indptr()[rows[i] + 1]; k++) {
                    visit.accept(i, s.indices()[(int) k], s.data().getFloat((int) k));
                }
            }
        } else {
            for (int i = 0; i < rows.length; i++) {
                float[] r = x.rowAsFloats(rows[i]);
                for (int j = 0; j < g; j++) {
                    visit.accept(i, j, r[j]);
                }
            }
        }
    }

    /**
     * {@code keep} and then the most variable other genes (variance over {@code rows} of log1p(10⁴ · x / total)
     * for counts, of x as given otherwise; ties by name), up to {@code cap} genes in all; all genes when the file
     * has no more than {@code cap}. The embedding that places cells into metacells and states reads every paired
     * gene, and the most variable genes beyond the network's carry the cell types as they do for scanpy's PCA.
     *
     * @return gene names (a set, no order)
     */
    static Set<String> genesForPairing(Matrix x, int[] rows, List<String> names, Collection<String> keep, int cap,
                                       RowTotals totals) {
        Set<String> out = new HashSet<>(keep);
        if (names.size() <= cap) {
            out.addAll(names);
            return out;
        }
        double[] sum = new double[names.size()];
        double[] sumSq = new double[names.size()];
        forEachEntry(x, rows, (i, j, v) -> {
            double y = totals.scale(i, v);
            sum[j] += y;
            sumSq[j] += y * y;
        });
        int n = Math.max(1, rows.length);
        Integer[] order = IntStream.range(0, names.size()).filter(j -> !out.contains(names.get(j))).boxed()
                .toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -(sumSq[j] / n - (sum[j] / n) * (sum[j] / n)))
                .thenComparing(names::get));
        for (int k = 0; k < order.length && out.size() < cap; k++) {
            out.add(names.get(order[k]));
        }
        return out;
    }

    /** One stored value of an expression matrix: output row i, file column j. */
    @FunctionalInterface
    private interface EntryVisitor {
        void accept(int i, int j, float v);
    }

    /**
     * Rows {@code rows} of an expression matrix as log1p(10⁴ · x / total) when it holds counts (non-negative
     * integers), else as given (already normalised): {@link #logNormalised(Matrix, int[], int[])} of every column.
     */
    static float[] logNormalised(Matrix x, int[] rows) {
        return logNormalised(x, rows, IntStream.range(0, x.nCols()).toArray());
    }

    private static String first(List<String> l) {
        return l.isEmpty() ? "" : l.get(0);
    }

    /** Name → first position, for lookups by gene or peak name. */
    static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.putIfAbsent(names.get(i), i);
        }
        return m;
    }
}

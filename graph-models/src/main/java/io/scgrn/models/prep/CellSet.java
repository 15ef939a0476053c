package io.scgrn.models.prep;

import io.scgrn.models.CanonicalOrder;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.numerics.CellHash;
import io.scgrn.models.numerics.Medians;
import io.scgrn.models.numerics.Sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The preparation of one set of cells (all cells, or one {@code --groupby} category), fed the stored entries of the
 * matrix pass by pass. The same object serves the in-memory path (each pass visits a {@link io.scgrn.anndata.Matrix})
 * and the streaming path (each pass visits row blocks of a file), so both give the same numbers: every accumulator
 * receives the same values in the same order.
 *
 * <ol>
 *   <li>{@link #stats}: library sizes, per-gene count statistics, finiteness, the count check.</li>
 *   <li>{@link #endStats}: counts or not, normalisation target, cells without counts dropped.</li>
 *   <li>Only with {@code size-factors=exclude-high} ({@link #needsSizePasses}): {@link #exclude} marks the genes
 *   that exceed {@code max-fraction} of a cell's total in any cell, {@link #size} sums each cell's other counts,
 *   {@link #endSizes} makes them the size factors and sets the target.</li>
 *   <li>{@link #transformed}: per-gene statistics of the transformed values (variance filter, dispersion) and,
 *   speculatively, Seurat v3's clipped sums (they need only the count statistics of step 1).</li>
 *   <li>{@link #endTransformed}: varying genes, expressed TFs, highly variable genes. When the speculation used a
 *   different gene set than the exact one, {@link #needsClipPass()} asks for one more pass ({@link #clip}).</li>
 *   <li>{@link #beginGather} + {@link #gather}: the selected genes' normalised values into a dense matrix
 *   (optionally a seeded uniform sketch of the cells when the dense matrix would not fit, drawn by a hash of each
 *   cell's values so that the file's order of cells does not change which cells are drawn).</li>
 *   <li>{@link #finish}: metacells, the {@link PreparedData}.</li>
 * </ol>
 * Stages report unsuitable data as {@link ModelException}s; not thread-safe.
 */
final class CellSet {
    final String field;
    final List<String> genes;
    final List<String> cellNames;
    final PrepOptions o;
    final String group;
    final int[] rows;
    final int nCells;
    final int nGenesIn;
    final List<String> steps = new ArrayList<>();
    /** Global row → position among the kept cells, or −1. */
    final int[] rowMap;

    // pass 1
    private double[] lib;
    private final int[] geneNnz;
    private final double[] geneSum;
    private final double[] geneSumSq;
    /** Per gene, a hash of its name; per cell, the sum of its entries' hashes (order-free: see {@link #stats}). */
    private final long[] geneKey;
    private long[] cellKey;
    private boolean negative;
    private boolean nonInteger;
    private double max = Double.NEGATIVE_INFINITY;
    private String firstNegative;

    // after pass 1
    private boolean counts;
    private boolean normalise;
    private int[] keep;
    private double target = Double.NaN;
    private boolean logScale;
    /** size-factors=exclude-high: genes left out of the size factors (null: total counts, or done). */
    private boolean[] excluded;
    private double[] sizes;

    // pass 2
    private double[] tSum;
    private double[] tSumSq;
    private double[] eSum;
    private double[] eSumSq;
    private Hvg.SeuratV3 clip;

    // after pass 2
    private boolean[] isTf;
    private int nTf;
    private String flavor = "none";
    private boolean[] selected;
    private boolean clipPass;
    private double[] hvgScore;
    private boolean[] varies;
    private int nVarying;

    // gather
    private int[] colMap;
    private List<String> outGenes;
    private List<String> outTfs;
    private int nOut;
    /** Position among kept cells → row of the gathered matrix (null: all kept cells). */
    private int[] sketchPos;
    private int[] gatheredRows;
    private float[] values;
    private ExpressionMatrix cellLevel;

    /**
     * @param field     the matrix name for messages ("X", "raw/X", "layers/NAME")
     * @param genes     gene names of the matrix, as stored (made unique here)
     * @param cellNames names of all rows of the matrix
     * @param rows      the rows of this set, ascending
     * @param nRows     rows of the whole matrix
     */
    CellSet(String field, List<String> genes, List<String> cellNames, int[] rows, int nRows, int nGenesIn,
            PrepOptions o, String group) {
        this.field = field;
        this.cellNames = cellNames;
        this.o = o;
        this.group = group;
        this.rows = rows;
        this.nCells = rows.length;
        this.nGenesIn = nGenesIn;
        if (genes.size() != nGenesIn) {
            throw new ModelException(field, "has " + nGenesIn + " columns but there are " + genes.size()
                    + " gene names");
        }
        if (nCells < 2) {
            throw new ModelException("cells", "need at least 2 cells, " + field + " has " + nCells);
        }
        if (nGenesIn < 2) {
            throw new ModelException("genes", "need at least 2 genes, " + field + " has " + nGenesIn);
        }
        this.genes = uniqueNames(genes, steps);
        rowMap = new int[nRows];
        Arrays.fill(rowMap, -1);
        for (int i = 0; i < rows.length; i++) {
            rowMap[rows[i]] = i;
        }
        lib = new double[nCells];
        geneNnz = new int[nGenesIn];
        geneSum = new double[nGenesIn];
        geneSumSq = new double[nGenesIn];
        geneKey = new long[nGenesIn];
        for (int g = 0; g < nGenesIn; g++) {
            geneKey[g] = CellHash.nameKey(this.genes.get(g));
        }
        cellKey = new long[nCells];
    }

    /** Pass 1: one stored, non-zero entry at global row {@code r}, column {@code c}. */
    void stats(int r, int c, double v) {
        int row = rowMap[r];
        if (row < 0) {
            return;
        }
        if (!Double.isFinite(v)) {
            throw new ModelException(field, "value " + v + " at cell " + cellNames.get(r) + ", gene "
                    + genes.get(c) + " is not finite");
        }
        if (v < 0 && !negative) {
            negative = true;
            firstNegative = v + " at cell " + cellNames.get(r) + ", gene " + genes.get(c);
        }
        if (v != Math.rint(v)) {
            nonInteger = true;
        }
        max = Math.max(max, v);
        lib[row] += v;
        geneNnz[c]++;
        geneSum[c] += v;
        geneSumSq[c] += v * v;
        // a sum of per-entry hashes: the same whatever order the entries (and the cells) are visited in
        cellKey[row] += CellHash.entry(geneKey[c], v);
    }

    /** After pass 1: counts detection, normalisation, dropping cells without counts. */
    void endStats() {
        counts = !negative && !nonInteger && max > 0;
        boolean countsExpected = o.normalize().equals("always") || field.equals("raw/X")
                || field.equalsIgnoreCase("layers/counts");
        if (negative && countsExpected) {
            throw new ModelException(field, "negative value " + firstNegative + " where raw counts are expected"
                    + (o.normalize().equals("always") ? " (normalize=always)" : ""));
        }
        normalise = switch (o.normalize()) {
            case "always" -> true;
            case "never" -> false;
            default -> counts;
        };
        if (counts) {
            steps.add("detected raw counts (non-negative integers, max " + fmt(max) + ")");
        } else if (negative) {
            steps.add("values include negatives (scaled data?) → used as given");
        } else {
            steps.add("values are not integer counts (max " + fmt(max) + ") → taken as already normalised");
        }
        // cells without any count cannot be normalised; they carry no information either way
        keep = rows;
        if (normalise) {
            int empty = 0;
            for (double l : lib) {
                empty += l <= 0 ? 1 : 0;
            }
            if (empty > 0) {
                int[] kept = new int[nCells - empty];
                double[] keptLib = new double[kept.length];
                long[] keptKey = new long[kept.length];
                int j = 0;
                for (int i = 0; i < nCells; i++) {
                    if (lib[i] > 0) {
                        kept[j] = rows[i];
                        keptKey[j] = cellKey[i];
                        keptLib[j++] = lib[i];
                    }
                }
                steps.add("dropped " + empty + " cells with no counts");
                if (kept.length < 2) {
                    throw new ModelException("cells", "need at least 2 cells with counts, " + field + " has "
                            + kept.length);
                }
                Arrays.fill(rowMap, -1);
                for (int i = 0; i < kept.length; i++) {
                    rowMap[kept[i]] = i;
                }
                keep = kept;
                lib = keptLib;
                cellKey = keptKey;
                // gene statistics must not count the dropped cells; they had no entries, so nothing changes
            }
            if (o.sizeFactors().equals("exclude-high")) {
                excluded = new boolean[nGenesIn];
                sizes = new double[lib.length];
            } else {
                setTarget("counts");
            }
        }
        logScale = normalise || (!negative && max <= 30);
        tSum = new double[nGenesIn];
        tSumSq = new double[nGenesIn];
        eSum = new double[nGenesIn];
        eSumSq = new double[nGenesIn];
        boolean maySeuratV3 = o.nTopGenes() > 0 && counts
                && (o.hvgFlavor().equals("auto") || o.hvgFlavor().equals("seurat_v3"));
        if (maySeuratV3) {
            // the exact gene set also needs the transformed variance (pass 2); guess it from the counts alone
            boolean[] guess = new boolean[nGenesIn];
            for (int g = 0; g < nGenesIn; g++) {
                guess[g] = geneNnz[g] > 0;
            }
            clip = new Hvg.SeuratV3(keep.length, geneSum, geneSumSq, guess);
        }
    }

    /** The normalisation target (given, or the median of {@code lib}) and its step; {@code what} the unit. */
    private void setTarget(String what) {
        target = o.targetSum() > 0 ? o.targetSum() : Medians.median(lib);
        steps.add("normalised to " + fmt(target) + " " + what + " per cell" + (o.targetSum() > 0 ? "" : " (median)")
                + " + log1p");
    }

    /** Whether {@code size-factors=exclude-high} needs its two passes ({@link #exclude}, {@link #size}). */
    boolean needsSizePasses() {
        return excluded != null;
    }

    /** Size pass 1: a gene is left out of the size factors if it exceeds max-fraction of some cell's total. */
    void exclude(int r, int c, double v) {
        int row = rowMap[r];
        if (row >= 0 && v > lib[row] * o.maxFraction()) {
            excluded[c] = true;
        }
    }

    /** Size pass 2: each cell's counts of the genes not left out. */
    void size(int r, int c, double v) {
        int row = rowMap[r];
        if (row >= 0 && !excluded[c]) {
            sizes[row] += v;
        }
    }

    /**
     * After the size passes: the size factors replace the totals. A cell whose size factor is 0 (all its counts in
     * left-out genes) gets its total times the median ratio size / total of the cells with a positive size; when
     * no cell has one, the totals are kept.
     */
    void endSizes() {
        int nExcluded = 0;
        for (boolean e : excluded) {
            nExcluded += e ? 1 : 0;
        }
        int nPos = 0;
        for (double s : sizes) {
            nPos += s > 0 ? 1 : 0;
        }
        String how;
        if (nPos == 0) {
            how = "no cell has counts outside them: total counts kept";
        } else {
            double[] ratio = new double[nPos];
            int j = 0;
            for (int i = 0; i < sizes.length; i++) {
                if (sizes[i] > 0) {
                    ratio[j++] = sizes[i] / lib[i];
                }
            }
            double m = Medians.median(ratio);
            for (int i = 0; i < sizes.length; i++) {
                if (!(sizes[i] > 0)) {
                    sizes[i] = lib[i] * m;
                }
            }
            lib = sizes;
            how = (sizes.length - nPos) + " cells without other counts scaled by their total × the median ratio";
        }
        excluded = null;
        sizes = null;
        steps.add(String.format(Locale.ROOT, "size factors: total counts without the %d genes above %s of a cell's"
                + " total in any cell (exclude-high); %s", nExcluded, Double.toString(o.maxFraction()), how));
        setTarget("size-factor counts");
    }

    /** Pass 2: the transformed value's statistics (and Seurat v3's clipped sums, see {@link #endStats}). */
    void transformed(int r, int c, double v) {
        int row = rowMap[r];
        if (row < 0) {
            return;
        }
        double t = normalise ? Math.log1p(v / lib[row] * target) : v;
        tSum[c] += t;
        tSumSq[c] += t * t;
        double e = logScale ? Math.expm1(t) : t;
        eSum[c] += e;
        eSumSq[c] += e * e;
        if (clip != null) {
            clip.accept(c, v);
        }
    }

    /**
     * A TF list spelled in another case than the data (a human list, GATA1, on mouse genes, Gata1, or an upper-cased
     * export) matches nothing exactly; matching ignoring case finds the same regulators, named as in the data. Only
     * used when the exact match finds none, so a list that matches keeps its meaning.
     */
    private void matchTfsIgnoringCase(Set<String> tfSet) {
        Set<String> folded = new HashSet<>();
        for (String t : tfSet) {
            folded.add(t.toUpperCase(Locale.ROOT));
        }
        String example = null;
        for (int g = 0; g < nGenesIn; g++) {
            isTf[g] = varies[g] && folded.contains(genes.get(g).toUpperCase(Locale.ROOT));
            if (isTf[g]) {
                nTf++;
                example = example == null ? genes.get(g) : example;
            }
        }
        if (nTf > 0) {
            steps.add("matched " + nTf + " regulators of the TF list ignoring case (no name matched exactly; e.g. "
                    + example + ")");
        }
    }

    /** After pass 2: varying genes, expressed TFs and the gene selection. */
    void endTransformed(Set<String> tfSet, int nCandidates) {
        int nKeep = keep.length;
        varies = new boolean[nGenesIn];
        nVarying = 0;
        for (int g = 0; g < nGenesIn; g++) {
            double mean = tSum[g] / nKeep;
            double var = tSumSq[g] / nKeep - mean * mean;
            // relative tolerance: a constant column has var ≈ 0 up to rounding of mean²
            varies[g] = geneNnz[g] > 0 && var > 1e-12 * Math.max(1, mean * mean);
            nVarying += varies[g] ? 1 : 0;
        }
        if (nVarying < nGenesIn) {
            steps.add("dropped " + (nGenesIn - nVarying) + " genes without variation (all zero or constant)");
        }
        isTf = new boolean[nGenesIn];
        nTf = 0;
        for (int g = 0; g < nGenesIn; g++) {
            isTf[g] = varies[g] && tfSet.contains(genes.get(g));
            nTf += isTf[g] ? 1 : 0;
        }
        if (nTf == 0) {
            matchTfsIgnoringCase(tfSet);
        }
        if (nTf == 0) {
            throw new ModelException("tfs", "none of the " + nCandidates + " candidate regulators is expressed in "
                    + field + " (" + nVarying + " varying genes, e.g. " + String.join(", ",
                    genes.subList(0, Math.min(5, genes.size()))) + "); check --species or --tfs");
        }
        selected = varies.clone();
        if (o.nTopGenes() > 0 && nVarying > o.nTopGenes() + nTf) {
            flavor = o.hvgFlavor().equals("auto") ? (counts ? "seurat_v3" : "dispersion") : o.hvgFlavor();
            if (flavor.equals("seurat_v3") && !counts) {
                throw new ModelException("hvg-flavor", "seurat_v3 needs raw counts, but " + field
                        + " holds non-integer or negative values; use dispersion");
            }
            if (flavor.equals("seurat_v3")) {
                if (clip == null || !clip.sameGenes(varies)) {
                    clip = new Hvg.SeuratV3(nKeep, geneSum, geneSumSq, varies);
                    clipPass = true;
                    return;
                }
                hvgScore = clip.scores();
            } else {
                hvgScore = Hvg.dispersion(eSum, eSumSq, nKeep, varies);
            }
            selectTop();
        } else {
            clip = null;
            steps.add("kept all " + nVarying + " varying genes (" + nTf + " TFs)");
        }
    }

    /** Whether Seurat v3 needs its own pass ({@link #clip}) because the speculative gene set was not exact. */
    boolean needsClipPass() {
        return clipPass;
    }

    /** The extra Seurat v3 pass. */
    void clip(int r, int c, double v) {
        if (rowMap[r] >= 0) {
            clip.accept(c, v);
        }
    }

    /** After the extra pass. */
    void endClip() {
        hvgScore = clip.scores();
        clipPass = false;
        selectTop();
    }

    private void selectTop() {
        clip = null;
        boolean[] top = Hvg.top(hvgScore, varies, isTf, o.nTopGenes());
        for (int g = 0; g < nGenesIn; g++) {
            selected[g] = isTf[g] || top[g];
        }
        steps.add("kept " + nTf + " expressed TFs + " + o.nTopGenes() + " most variable genes (" + flavor
                + ") of " + nVarying);
        if (negative) {
            // scaled data have unit variance by construction: the ranking says little; raw or counts are better
            steps.add("warning: gene selection on scaled values (negatives present) is unreliable; prefer --layer"
                    + " raw or a counts layer");
        }
    }

    /** Genes the gathered matrix will have. */
    int selectedGenes() {
        int n = 0;
        for (boolean s : selected) {
            n += s ? 1 : 0;
        }
        return n;
    }

    /** Cells kept after dropping those without counts. */
    int keptCells() {
        return keep.length;
    }

    /**
     * Allocates the dense cells × selected genes matrix.
     *
     * @param maxCells at most this many cells are gathered (a seeded uniform sketch of the kept cells when there
     *                 are more); {@code Integer.MAX_VALUE} gathers every cell
     */
    void beginGather(int maxCells) {
        colMap = new int[nGenesIn];
        outGenes = new ArrayList<>();
        outTfs = new ArrayList<>();
        for (int g = 0; g < nGenesIn; g++) {
            colMap[g] = selected[g] ? outGenes.size() : -1;
            if (selected[g]) {
                outGenes.add(genes.get(g));
                if (isTf[g]) {
                    outTfs.add(genes.get(g));
                }
            }
        }
        nOut = outGenes.size();
        int nKeep = keep.length;
        gatheredRows = keep;
        if (nKeep > maxCells) {
            int m = Math.max(2, maxCells);
            // cellKey is indexed like keep (position among the kept cells)
            gatheredRows = Sampling.smallestKeys(cellKey, m, o.seed() ^ 0x2545F4914F6CDD1DL);
            sketchPos = new int[nKeep];
            Arrays.fill(sketchPos, -1);
            for (int i = 0; i < gatheredRows.length; i++) {
                sketchPos[gatheredRows[i]] = i;
                gatheredRows[i] = keep[gatheredRows[i]];
            }
            steps.add(String.format(Locale.ROOT, "sketched %,d of %,d cells (seeded uniform sample by a hash of each "
                    + "cell's values) so that the "
                    + "%,d × %,d matrix fits the heap", m, nKeep, m, nOut));
        }
        int nRowsOut = gatheredRows.length;
        if ((long) nRowsOut * nOut > Integer.MAX_VALUE - 8) {
            throw new ModelException("genes", nRowsOut + " cells × " + nOut + " genes is too large for one dense "
                    + "matrix; lower n-top-genes or use metacells");
        }
        values = new float[nRowsOut * nOut];
    }


    /** Gather pass: the normalised value of a selected gene. */
    void gather(int r, int c, double v) {
        int row = rowMap[r];
        int col = colMap[c];
        if (row < 0 || col < 0) {
            return;
        }
        int at = sketchPos == null ? row : sketchPos[row];
        if (at >= 0) {
            values[at * nOut + col] = (float) (normalise ? Math.log1p(v / lib[row] * target) : v);
        }
    }

    /** Whether the gathered matrix holds every kept cell (not a sketch). */
    boolean complete() {
        return sketchPos == null;
    }

    /** The cell-level matrix before metacells (after {@link #finish}). */
    ExpressionMatrix cellLevel() {
        return cellLevel;
    }

    /** Metacells and the result. */
    PreparedData finish() {
        List<String> outCells = new ArrayList<>(gatheredRows.length);
        for (int r : gatheredRows) {
            outCells.add(cellNames.get(r));
        }
        ExpressionMatrix matrix = new ExpressionMatrix(values, outCells, outGenes);
        values = null;
        cellLevel = matrix;
        int nKeep = gatheredRows.length;
        if (o.metacells() > 1) {
            // in the canonical order, so the file's order of cells and genes does not change the metacells; the
            // genes go back to the selection's order
            ExpressionMatrix canonical = CanonicalOrder.of(matrix);
            ExpressionMatrix mc = Metacells.aggregate(canonical, o.metacells(), o.pcs(), o.seed());
            if (mc == canonical) {
                steps.add("metacells skipped: " + nKeep + " cells are too few for metacells of " + o.metacells());
            } else {
                steps.add("averaged " + nKeep + " cells into " + mc.nCells() + " metacells of " + o.metacells()
                        + " nearest neighbours (" + Math.min(o.pcs(), Math.min(nKeep, nOut) - 1) + " PCs)");
                matrix = mc.withGeneOrder(matrix.genes());
            }
        }
        return new PreparedData(matrix, outTfs, field, counts, normalise, target, flavor, nCells, nGenesIn, steps,
                group);
    }

    static List<String> uniqueNames(List<String> names, List<String> steps) {
        Set<String> seen = new HashSet<>();
        boolean dup = false;
        for (String s : names) {
            dup |= !seen.add(s);
        }
        if (!dup) {
            return names;
        }
        // as anndata's var_names_make_unique: later duplicates get -1, -2, …
        Map<String, Integer> count = new HashMap<>();
        Set<String> all = new HashSet<>(names);
        List<String> out = new ArrayList<>(names.size());
        int renamed = 0;
        Set<String> used = new HashSet<>();
        for (String s : names) {
            if (used.add(s)) {
                out.add(s);
                continue;
            }
            int k = count.getOrDefault(s, 0);
            String candidate;
            do {
                k++;
                candidate = s + "-" + k;
            } while (all.contains(candidate) || used.contains(candidate));
            count.put(s, k);
            used.add(candidate);
            out.add(candidate);
            renamed++;
        }
        steps.add("made " + renamed + " duplicate gene names unique (suffix -1, -2, …)");
        return out;
    }


    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}

package io.scgrn.models.prep;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.numerics.Medians;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * From an {@link AnnData} to the {@link ExpressionMatrix} a model takes.
 *
 * <ol>
 *   <li>Choose the matrix: X, {@code raw} (raw.X with raw.var names) or a layer.</li>
 *   <li>Check it: NaN/Inf is an error naming the cell and gene; fewer than 2 cells or genes is an error.</li>
 *   <li>Detect raw counts (all values non-negative integers). Only counts are normalised (to the median library
 *   size, or {@code targetSum}) and log1p-transformed; data that are already normalised are used as given, so
 *   BEELINE's log-normalised sets are never normalised twice.</li>
 *   <li>Drop genes without variation (all zero or constant).</li>
 *   <li>Keep every expressed TF plus the {@code nTopGenes} most variable other genes (Seurat v3 VST on counts,
 *   Seurat dispersion on log data), when there are more genes than that.</li>
 *   <li>Optionally average cells into metacells (k nearest neighbours in PCA space).</li>
 * </ol>
 * The matrix is never densified before gene selection, so a sparse 50,000 × 30,000 file costs only the selected
 * genes' dense copy.
 */
public final class Preparation {
    private static final Logger LOG = LoggerFactory.getLogger(Preparation.class);

    private Preparation() {
    }

    /** The matrix chosen by {@code layer}, its gene names and its name for messages. */
    record Source(Matrix matrix, List<String> genes, String field) {
    }

    /**
     * Gene names of the matrix that {@code layer} selects (raw.var names for "raw"), for TF-list lookups before
     * preparation.
     */
    public static List<String> geneNames(AnnData data, String layer) {
        return source(data, layer).genes();
    }

    static Source source(AnnData data, String layer) {
        if (layer == null || layer.isEmpty() || layer.equals("X")) {
            if (data.x() == null) {
                throw new ModelException("X", "the file has no X matrix; choose a layer (available: "
                        + available(data) + ")");
            }
            return new Source(data.x(), data.var().index(), "X");
        }
        if (layer.equals("raw")) {
            AnnData raw = data.raw();
            if (raw == null || raw.x() == null) {
                throw new ModelException("layer", "the file has no raw.X; available: " + available(data));
            }
            return new Source(raw.x(), raw.var().index(), "raw/X");
        }
        Matrix m = data.layers().get(layer);
        if (m == null) {
            throw new ModelException("layer", "no layer '" + layer + "'; available: " + available(data));
        }
        return new Source(m, data.var().index(), "layers/" + layer);
    }

    private static String available(AnnData data) {
        List<String> names = new ArrayList<>();
        if (data.x() != null) {
            names.add("X");
        }
        if (data.raw() != null && data.raw().x() != null) {
            names.add("raw");
        }
        names.addAll(data.layers().keySet());
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /**
     * Prepares all cells.
     *
     * @param tfs candidate regulators (a bundled or user list); those not expressed are left out of
     *            {@link PreparedData#tfs()}
     * @throws ModelException on NaN/Inf, negative values where counts are expected, fewer than 2 cells or genes, or
     *                        when no TF is expressed
     */
    public static PreparedData prepare(AnnData data, List<String> tfs, PrepOptions options) {
        Source src = source(data, options.layer());
        int n = src.matrix().nRows();
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return prepare(src, data.obs().index(), rows, tfs, options, null);
    }

    /**
     * Prepares each category of the obs column {@code groupby} separately (gene selection and metacells per group).
     * Cells whose category is missing are left out; categories that cannot be prepared (fewer than 2 cells, no TF
     * expressed) are listed in {@link GroupedData#skipped()}.
     *
     * @throws ModelException (field "groupby") when the column does not exist, listing the columns, or when no
     *                        category can be prepared
     */
    public static GroupedData prepareGroups(AnnData data, String groupby, List<String> tfs, PrepOptions options) {
        Column col = data.obs().column(groupby).orElseThrow(() -> new ModelException("groupby", "no obs column '"
                + groupby + "'; available: " + (data.obs().columns().isEmpty() ? "none"
                : String.join(", ", data.obs().columns().stream().map(Column::name).toList()))));
        String[] labels = labels(col);
        LinkedHashMap<String, List<Integer>> members = new LinkedHashMap<>();
        if (col instanceof Column.Categorical c) {
            for (String cat : c.categories()) {
                members.put(cat, new ArrayList<>());
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != null) {
                members.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
            }
        }
        Source src = source(data, options.layer());
        Map<String, PreparedData> out = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            int[] rows = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            if (rows.length < 2) {
                skipped.put(e.getKey(), rows.length + " cell" + (rows.length == 1 ? "" : "s"));
                continue;
            }
            try {
                out.put(e.getKey(), prepare(src, data.obs().index(), rows, tfs, options, e.getKey()));
            } catch (ModelException ex) {
                if ("X".equals(ex.field()) || src.field().equals(ex.field())) {
                    throw ex; // bad values are bad for every group: report, do not skip
                }
                skipped.put(e.getKey(), ex.getMessage());
            }
        }
        for (Map.Entry<String, String> s : skipped.entrySet()) {
            LOG.warn("group {}={} skipped: {}", groupby, s.getKey(), s.getValue());
        }
        if (out.isEmpty()) {
            throw new ModelException("groupby", "no category of '" + groupby + "' could be prepared: " + skipped);
        }
        return new GroupedData(groupby, out, skipped);
    }

    private static String[] labels(Column col) {
        int n = col.length();
        String[] out = new String[n];
        if (col instanceof Column.Categorical c) {
            for (int i = 0; i < n; i++) {
                out[i] = c.label(i);
            }
        } else if (col instanceof Column.Strings s) {
            System.arraycopy(s.values(), 0, out, 0, n);
        } else if (col instanceof Column.Bool b) {
            for (int i = 0; i < n; i++) {
                out[i] = b.valid() != null && !b.valid()[i] ? null : String.valueOf(b.values()[i]);
            }
        } else if (col instanceof Column.Numeric num) {
            for (int i = 0; i < n; i++) {
                double v = num.values().get(i);
                boolean na = (num.valid() != null && !num.valid()[i]) || Double.isNaN(v);
                out[i] = na ? null : num.dtype().isInteger() || v == Math.rint(v) ? Long.toString((long) v)
                        : Double.toString(v);
            }
        }
        return out;
    }

    /** Visits the stored entries of a matrix (for a dense matrix: every non-zero value). */
    interface EntryVisitor {
        void accept(int row, int col, double value);
    }

    static void forEachEntry(Matrix m, EntryVisitor v) {
        if (m instanceof DenseMatrix d) {
            int nc = d.nCols();
            int nr = d.nRows();
            if (d.values() instanceof NumArray.F32 f) {
                float[] a = f.values();
                for (int r = 0; r < nr; r++) {
                    int base = r * nc;
                    for (int c = 0; c < nc; c++) {
                        float x = a[base + c];
                        if (x != 0) {
                            v.accept(r, c, x);
                        }
                    }
                }
            } else {
                NumArray a = d.values();
                for (int r = 0; r < nr; r++) {
                    int base = r * nc;
                    for (int c = 0; c < nc; c++) {
                        double x = a.get(base + c);
                        if (x != 0) {
                            v.accept(r, c, x);
                        }
                    }
                }
            }
        } else if (m instanceof SparseMatrix s) {
            boolean csr = s.layout() == SparseMatrix.Layout.CSR;
            int major = csr ? s.nRows() : s.nCols();
            int minorMax = csr ? s.nCols() : s.nRows();
            int[] idx = s.indices();
            long[] ptr = s.indptr();
            NumArray data = s.data();
            for (int i = 0; i < major; i++) {
                long from = ptr[i];
                long to = ptr[i + 1];
                if (from < 0 || to < from || to > idx.length) {
                    throw new ModelException(s.encoding(), "indptr[" + i + "] = " + from + ".." + to
                            + " is outside 0.." + idx.length);
                }
                for (int k = (int) from; k < to; k++) {
                    int j = idx[k];
                    if (j < 0 || j >= minorMax) {
                        throw new ModelException(s.encoding(), "index " + j + " at position " + k
                                + " is outside 0.." + (minorMax - 1));
                    }
                    double x = data.get(k);
                    if (x != 0) {
                        if (csr) {
                            v.accept(i, j, x);
                        } else {
                            v.accept(j, i, x);
                        }
                    }
                }
            }
        }
    }

    /** Statistics of one scan over the stored entries of the selected rows. */
    private static final class Scan {
        final double[] lib;
        final int[] geneNnz;
        final double[] geneSum;
        final double[] geneSumSq;
        boolean negative;
        boolean nonInteger;
        double max = Double.NEGATIVE_INFINITY;
        String firstNegative;

        Scan(int nRows, int nGenes) {
            lib = new double[nRows];
            geneNnz = new int[nGenes];
            geneSum = new double[nGenes];
            geneSumSq = new double[nGenes];
        }
    }

    static PreparedData prepare(Source src, List<String> cellNames, int[] rows, List<String> tfs, PrepOptions o,
                                String group) {
        Matrix m = src.matrix();
        String field = src.field();
        int nCells = rows.length;
        int nGenesIn = m.nCols();
        if (src.genes().size() != nGenesIn) {
            throw new ModelException(field, "has " + nGenesIn + " columns but there are " + src.genes().size()
                    + " gene names");
        }
        if (nCells < 2) {
            throw new ModelException("cells", "need at least 2 cells, " + field + " has " + nCells);
        }
        if (nGenesIn < 2) {
            throw new ModelException("genes", "need at least 2 genes, " + field + " has " + nGenesIn);
        }
        List<String> steps = new ArrayList<>();
        List<String> genes = uniqueNames(src.genes(), steps);
        int[] rowMap = new int[m.nRows()];
        Arrays.fill(rowMap, -1);
        for (int i = 0; i < rows.length; i++) {
            rowMap[rows[i]] = i;
        }

        Scan scan = new Scan(nCells, nGenesIn);
        forEachEntry(m, (r, c, v) -> {
            int row = rowMap[r];
            if (row < 0) {
                return;
            }
            if (!Double.isFinite(v)) {
                throw new ModelException(field, "value " + v + " at cell " + cellNames.get(r) + ", gene "
                        + genes.get(c) + " is not finite");
            }
            if (v < 0 && !scan.negative) {
                scan.negative = true;
                scan.firstNegative = v + " at cell " + cellNames.get(r) + ", gene " + genes.get(c);
            }
            if (v != Math.rint(v)) {
                scan.nonInteger = true;
            }
            scan.max = Math.max(scan.max, v);
            scan.lib[row] += v;
            scan.geneNnz[c]++;
            scan.geneSum[c] += v;
            scan.geneSumSq[c] += v * v;
        });
        boolean counts = !scan.negative && !scan.nonInteger && scan.max > 0;
        boolean countsExpected = o.normalize().equals("always") || field.equals("raw/X")
                || field.equalsIgnoreCase("layers/counts");
        if (scan.negative && countsExpected) {
            throw new ModelException(field, "negative value " + scan.firstNegative + " where raw counts are expected"
                    + (o.normalize().equals("always") ? " (normalize=always)" : ""));
        }
        boolean normalise = switch (o.normalize()) {
            case "always" -> true;
            case "never" -> false;
            default -> counts;
        };
        if (counts) {
            steps.add("detected raw counts (non-negative integers, max " + fmt(scan.max) + ")");
        } else if (scan.negative) {
            steps.add("values include negatives (scaled data?) → used as given");
        } else {
            steps.add("values are not integer counts (max " + fmt(scan.max) + ") → taken as already normalised");
        }

        // cells without any count cannot be normalised; they carry no information either way
        int[] keep = rows;
        double[] lib = scan.lib;
        if (normalise) {
            int empty = 0;
            for (double l : lib) {
                empty += l <= 0 ? 1 : 0;
            }
            if (empty > 0) {
                int[] kept = new int[nCells - empty];
                double[] keptLib = new double[kept.length];
                int j = 0;
                for (int i = 0; i < nCells; i++) {
                    if (lib[i] > 0) {
                        kept[j] = rows[i];
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
                // gene statistics must not count the dropped cells; they had no entries, so nothing changes
            }
        }
        int nKeep = keep.length;
        final double target;
        if (normalise) {
            target = o.targetSum() > 0 ? o.targetSum() : Medians.median(lib);
            steps.add("normalised to " + fmt(target) + " counts per cell" + (o.targetSum() > 0 ? "" : " (median)")
                    + " + log1p");
        } else {
            target = Double.NaN;
        }
        final double[] libF = lib;
        final boolean norm = normalise;

        // transformed statistics: variance filter and dispersion
        boolean logScale = normalise || (!scan.negative && scan.max <= 30);
        double[] tSum = new double[nGenesIn];
        double[] tSumSq = new double[nGenesIn];
        double[] eSum = new double[nGenesIn];
        double[] eSumSq = new double[nGenesIn];
        forEachEntry(m, (r, c, v) -> {
            int row = rowMap[r];
            if (row < 0) {
                return;
            }
            double t = norm ? Math.log1p(v / libF[row] * target) : v;
            tSum[c] += t;
            tSumSq[c] += t * t;
            double e = logScale ? Math.expm1(t) : t;
            eSum[c] += e;
            eSumSq[c] += e * e;
        });
        boolean[] varies = new boolean[nGenesIn];
        int nVarying = 0;
        for (int g = 0; g < nGenesIn; g++) {
            double mean = tSum[g] / nKeep;
            double var = tSumSq[g] / nKeep - mean * mean;
            // relative tolerance: a constant column has var ≈ 0 up to rounding of mean²
            varies[g] = scan.geneNnz[g] > 0 && var > 1e-12 * Math.max(1, mean * mean);
            nVarying += varies[g] ? 1 : 0;
        }
        if (nVarying < nGenesIn) {
            steps.add("dropped " + (nGenesIn - nVarying) + " genes without variation (all zero or constant)");
        }

        Set<String> tfSet = new HashSet<>(tfs);
        boolean[] isTf = new boolean[nGenesIn];
        int nTf = 0;
        for (int g = 0; g < nGenesIn; g++) {
            isTf[g] = varies[g] && tfSet.contains(genes.get(g));
            nTf += isTf[g] ? 1 : 0;
        }
        if (nTf == 0) {
            throw new ModelException("tfs", "none of the " + tfs.size() + " candidate regulators is expressed in "
                    + field + " (" + nVarying + " varying genes, e.g. " + String.join(", ",
                    genes.subList(0, Math.min(5, genes.size()))) + "); check --species or --tfs");
        }

        boolean[] selected = varies.clone();
        String flavor = "none";
        if (o.nTopGenes() > 0 && nVarying > o.nTopGenes() + nTf) {
            flavor = o.hvgFlavor().equals("auto") ? (counts ? "seurat_v3" : "dispersion") : o.hvgFlavor();
            if (flavor.equals("seurat_v3") && !counts) {
                throw new ModelException("hvg-flavor", "seurat_v3 needs raw counts, but " + field
                        + " holds non-integer or negative values; use dispersion");
            }
            double[] score = flavor.equals("seurat_v3")
                    ? Hvg.seuratV3(m, rowMap, nKeep, scan.geneSum, scan.geneSumSq, varies)
                    : Hvg.dispersion(eSum, eSumSq, nKeep, varies);
            boolean[] top = Hvg.top(score, varies, isTf, o.nTopGenes());
            for (int g = 0; g < nGenesIn; g++) {
                selected[g] = isTf[g] || top[g];
            }
            steps.add("kept " + nTf + " expressed TFs + " + o.nTopGenes() + " most variable genes (" + flavor
                    + ") of " + nVarying);
            if (scan.negative) {
                // scaled data have unit variance by construction: the ranking says little; raw or counts are better
                steps.add("warning: gene selection on scaled values (negatives present) is unreliable; prefer --layer"
                        + " raw or a counts layer");
            }
        } else {
            steps.add("kept all " + nVarying + " varying genes (" + nTf + " TFs)");
        }

        int[] colMap = new int[nGenesIn];
        List<String> outGenes = new ArrayList<>();
        List<String> outTfs = new ArrayList<>();
        for (int g = 0; g < nGenesIn; g++) {
            colMap[g] = selected[g] ? outGenes.size() : -1;
            if (selected[g]) {
                outGenes.add(genes.get(g));
                if (isTf[g]) {
                    outTfs.add(genes.get(g));
                }
            }
        }
        int nOut = outGenes.size();
        if ((long) nKeep * nOut > Integer.MAX_VALUE - 8) {
            throw new ModelException("genes", nKeep + " cells × " + nOut + " genes is too large for one dense "
                    + "matrix; lower n-top-genes or use metacells");
        }
        float[] values = new float[nKeep * nOut];
        forEachEntry(m, (r, c, v) -> {
            int row = rowMap[r];
            int col = colMap[c];
            if (row >= 0 && col >= 0) {
                values[row * nOut + col] = (float) (norm ? Math.log1p(v / libF[row] * target) : v);
            }
        });
        List<String> outCells = new ArrayList<>(nKeep);
        for (int r : keep) {
            outCells.add(cellNames.get(r));
        }
        ExpressionMatrix matrix = new ExpressionMatrix(values, outCells, outGenes);
        if (o.metacells() > 1) {
            ExpressionMatrix mc = Metacells.aggregate(matrix, o.metacells(), o.pcs(), o.seed());
            if (mc == matrix) {
                steps.add("metacells skipped: " + nKeep + " cells are too few for metacells of " + o.metacells());
            } else {
                steps.add("averaged " + nKeep + " cells into " + mc.nCells() + " metacells of " + o.metacells()
                        + " nearest neighbours (" + Math.min(o.pcs(), Math.min(nKeep, nOut) - 1) + " PCs)");
                matrix = mc;
            }
        }
        LOG.debug("prepared {}{}: {}", field, group == null ? "" : " group " + group, steps);
        return new PreparedData(matrix, outTfs, field, counts, normalise, target, flavor, nCells, nGenesIn, steps,
                group);
    }

    private static List<String> uniqueNames(List<String> names, List<String> steps) {
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

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}

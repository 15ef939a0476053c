package io.scgrn.models.prep;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.anndata.VarNames;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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
    record Source(Matrix matrix, List<String> genes, String field, Optional<String> namesFrom) {
        Source(Matrix matrix, VarNames.Names names, String field) {
            this(matrix, names.names(), field, names.column());
        }
    }

    /**
     * Gene names of the matrix that {@code layer} selects (raw.var names for "raw"), for TF-list lookups before
     * preparation.
     */
    public static List<String> geneNames(AnnData data, String layer) {
        if (data.x() == null && data.layers().isEmpty()) {
            // read without its matrices (streaming): the names are those of var, or raw.var for "raw"
            return VarNames.of("raw".equals(layer) && data.raw() != null ? data.raw().var() : data.var()).names();
        }
        return source(data, layer).genes();
    }

    static Source source(AnnData data, String layer) {
        if (layer == null || layer.isEmpty() || layer.equals("X")) {
            if (data.x() == null) {
                throw new ModelException("X", "the file has no X matrix; choose a layer (available: "
                        + available(data) + ")");
            }
            return new Source(data.x(), VarNames.of(data.var()), "X");
        }
        if (layer.equals("raw")) {
            AnnData raw = data.raw();
            if (raw == null || raw.x() == null) {
                throw new ModelException("layer", "the file has no raw.X; available: " + available(data));
            }
            return new Source(raw.x(), VarNames.of(raw.var()), "raw/X");
        }
        Matrix m = data.layers().get(layer);
        if (m == null) {
            throw new ModelException("layer", "no layer '" + layer + "'; available: " + available(data));
        }
        return new Source(m, VarNames.of(data.var()), "layers/" + layer);
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
        CellSet set = new CellSet(src.field(), src.genes(), data.obs().index(), allRows(n), n, src.matrix().nCols(),
                options, null);
        noteNames(List.of(set), src.namesFrom());
        runPasses(v -> forEachEntry(src.matrix(), v), List.of(set), tfs, sets -> null);
        return set.finish();
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
        Source src = source(data, options.layer());
        Groups g = groups(data, groupby, src.field(), src.genes(), src.matrix().nRows(), src.matrix().nCols(),
                options);
        noteNames(g.sets(), src.namesFrom());
        runPasses(v -> forEachEntry(src.matrix(), v), g.sets(), tfs, sets -> null, g);
        return g.result(groupby);
    }

    /** Says in each set's steps where the gene names came from when they are not the var index. */
    static void noteNames(List<CellSet> sets, Optional<String> column) {
        column.ifPresent(c -> sets.forEach(s -> s.steps.add("gene names from var column '" + c
                + "' (the var index holds stable ids)")));
    }

    static int[] allRows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** One CellSet per category of an obs column, and the categories skipped (in category order). */
    static final class Groups {
        final List<String> order = new ArrayList<>();
        final Map<String, CellSet> sets = new LinkedHashMap<>();
        final Map<String, String> skipped = new HashMap<>();

        List<CellSet> sets() {
            return new ArrayList<>(sets.values());
        }

        /** Records why a group could not be prepared; problems of the matrix itself concern every group. */
        void fail(CellSet set, ModelException ex) {
            if ("X".equals(ex.field()) || set.field.equals(ex.field())) {
                throw ex; // bad values are bad for every group: report, do not skip
            }
            sets.remove(set.group);
            skipped.put(set.group, ex.getMessage());
        }

        GroupedData result(String groupby) {
            Map<String, PreparedData> out = new LinkedHashMap<>();
            Map<String, String> skip = new LinkedHashMap<>();
            for (String k : order) {
                if (sets.containsKey(k)) {
                    out.put(k, sets.get(k).finish());
                } else if (skipped.containsKey(k)) {
                    skip.put(k, skipped.get(k));
                }
            }
            for (Map.Entry<String, String> s : skip.entrySet()) {
                LOG.warn("group {}={} skipped: {}", groupby, s.getKey(), s.getValue());
            }
            if (out.isEmpty()) {
                throw new ModelException("groupby", "no category of '" + groupby + "' could be prepared: " + skip);
            }
            return new GroupedData(groupby, out, skip);
        }
    }

    /** The cell sets of the categories of obs column {@code groupby}; see {@link #prepareGroups}. */
    static Groups groups(AnnData data, String groupby, String field, List<String> genes, int nRows, int nCols,
                         PrepOptions options) {
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
        Groups g = new Groups();
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            g.order.add(e.getKey());
            int[] rows = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            if (rows.length < 2) {
                g.skipped.put(e.getKey(), rows.length + " cell" + (rows.length == 1 ? "" : "s"));
                continue;
            }
            try {
                g.sets.put(e.getKey(), new CellSet(field, genes, data.obs().index(), rows, nRows, nCols, options,
                        e.getKey()));
            } catch (ModelException ex) {
                if ("X".equals(ex.field()) || field.equals(ex.field())) {
                    throw ex;
                }
                g.skipped.put(e.getKey(), ex.getMessage());
            }
        }
        return g;
    }

    /** One full pass over the stored entries of a matrix, wherever they come from (memory or row blocks). */
    interface EntrySource {
        void forEach(EntryVisitor v);
    }

    /**
     * How many cells each set may gather, given the sets after gene selection (all of them: Integer.MAX_VALUE);
     * null means no limit.
     */
    interface GatherBudget {
        int[] maxCells(List<CellSet> sets);
    }

    /**
     * Runs the passes of {@link CellSet} over {@code src} for every set; afterwards each remaining set is ready for
     * {@link CellSet#finish()}. A group's set that turns out unsuitable is dropped through {@link Groups#fail}; any
     * other failure is thrown.
     */
    static void runPasses(EntrySource src, List<CellSet> sets, List<String> tfs, GatherBudget budget) {
        runPasses(src, sets, tfs, budget, null);
    }

    static void runPasses(EntrySource src, List<CellSet> sets, List<String> tfs, GatherBudget budget,
                          Groups groups) {
        List<CellSet> active = new ArrayList<>(sets);
        pass(src, active, CellSet::stats);
        stage(active, CellSet::endStats, groups);
        List<CellSet> sized = active.stream().filter(CellSet::needsSizePasses).toList();
        if (!sized.isEmpty()) {
            pass(src, sized, CellSet::exclude);
            pass(src, sized, CellSet::size);
            for (CellSet s : sized) {
                stage(active, CellSet::endSizes, groups, s);
            }
        }
        pass(src, active, CellSet::transformed);
        Set<String> tfSet = new HashSet<>(tfs);
        stage(active, s -> s.endTransformed(tfSet, tfs.size()), groups);
        List<CellSet> clip = active.stream().filter(CellSet::needsClipPass).toList();
        if (!clip.isEmpty()) {
            pass(src, clip, CellSet::clip);
            for (CellSet s : clip) {
                stage(active, CellSet::endClip, groups, s);
            }
        }
        int[] max = budget.maxCells(active);
        List<CellSet> gathering = new ArrayList<>(active);
        for (int i = 0; i < gathering.size(); i++) {
            int m = max == null ? Integer.MAX_VALUE : max[i];
            stage(active, s -> s.beginGather(m), groups, gathering.get(i));
        }
        pass(src, active, CellSet::gather);
    }

    private interface Pass {
        void accept(CellSet s, int r, int c, double v);
    }

    private static void pass(EntrySource src, List<CellSet> sets, Pass p) {
        if (sets.isEmpty()) {
            return;
        }
        if (sets.size() == 1) {
            CellSet s = sets.get(0);
            src.forEach((r, c, v) -> p.accept(s, r, c, v));
            return;
        }
        CellSet[] a = sets.toArray(new CellSet[0]);
        src.forEach((r, c, v) -> {
            for (CellSet s : a) {
                p.accept(s, r, c, v);
            }
        });
    }

    private static void stage(List<CellSet> active, Consumer<CellSet> step, Groups groups) {
        for (CellSet s : new ArrayList<>(active)) {
            stage(active, step, groups, s);
        }
    }

    private static void stage(List<CellSet> active, Consumer<CellSet> step, Groups groups,
                              CellSet s) {
        try {
            step.accept(s);
        } catch (ModelException ex) {
            if (s.group == null || groups == null) {
                throw ex;
            }
            groups.fail(s, ex);
            active.remove(s);
        }
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
    public interface EntryVisitor {
        void accept(int row, int col, double value);
    }

    public static void forEachEntry(Matrix m, EntryVisitor v) {
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

}

package io.scgrn.models.prep;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.MatrixBlocks;
import io.scgrn.anndata.VarNames;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Preparation} for matrices larger than the heap: the matrix is streamed from the file in blocks
 * ({@link MatrixBlocks}) and never held whole. Three passes over the stored entries (two more with
 * size-factors=exclude-high; one more in the rare case that Seurat v3's gene set could not be guessed from the
 * counts) compute library sizes, count detection, the per-gene statistics of counts and of normalised values, the
 * TFs and the highly variable genes; the last pass
 * gathers only the selected genes' normalised values into the dense cells × genes matrix the models take. That
 * matrix (a few hundred to a few thousand genes) is small compared with X (tens of thousands of genes).
 *
 * <p>The numbers are those of the in-memory path exactly: both feed the same {@link CellSet}s the same entries in
 * the same order (row blocks for CSR and dense storage, column blocks for CSC, as the in-memory scan visits them),
 * so the prepared matrices, and every network computed from them, are identical.
 *
 * <p>When even the gathered matrices would not fit {@code gatherBudgetBytes}, each cell set is reduced to a seeded
 * uniform sketch of its cells (proportionally, all sets alike), recorded in {@link PreparedData#steps()}.
 * Statistics and gene selection still use every cell; only the model sees the sketch.
 */
public final class StreamingPreparation {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingPreparation.class);
    /** Stored entries per block: ~32 MB of indices and values. */
    static final long BLOCK_ENTRIES = 1 << 22;

    private StreamingPreparation() {
    }

    /**
     * @param all       all cells, prepared
     * @param groups    per category of the groupby column, or null without one
     * @param cellLevel all kept cells × the selected genes before metacells (for per-cell regulon activity), or
     *                  null when the cells were sketched
     */
    public record Result(PreparedData all, GroupedData groups, ExpressionMatrix cellLevel) {
    }

    /** The HDF5 path of the matrix that {@code layer} selects in the AnnData group of {@code meta}. */
    public static String matrixPath(AnnData meta, String layer) {
        String base = meta.h5Path() == null || meta.h5Path().equals("/") ? "" : meta.h5Path();
        if (layer == null || layer.isEmpty() || layer.equals("X")) {
            return base + "/X";
        }
        if (layer.equals("raw")) {
            return base + "/raw/X";
        }
        return base + "/layers/" + layer;
    }

    /**
     * Bytes the matrix {@code layer} selects would take decoded in memory (values as float64 plus int32 indices
     * for sparse storage, as the reader holds them), from the file's metadata.
     */
    public static long decodedBytes(MatrixBlocks blocks) {
        boolean dense = blocks.encoding().equals("array");
        return dense ? blocks.nnz() * 8 : blocks.nnz() * 12 + 8L * (blocks.nRows() + 1);
    }

    /**
     * Prepares all cells (and each category of {@code groupby}) of the matrix {@code layer} of the AnnData whose
     * metadata (obs, var; X not needed) is {@code meta}, streaming the matrix from {@code file}.
     *
     * @param gatherBudgetBytes heap the dense cells × genes matrices may take together; beyond it the cells are
     *                          sketched
     * @throws ModelException as {@link Preparation#prepare} and {@link Preparation#prepareGroups} do
     */
    public static Result prepare(Path file, AnnData meta, List<String> tfs, PrepOptions o, String groupby,
                                 long gatherBudgetBytes) {
        String layer = o.layer();
        String field = layer == null || layer.isEmpty() || layer.equals("X") ? "X"
                : layer.equals("raw") ? "raw/X" : "layers/" + layer;
        List<String> genes = Preparation.geneNames(meta, layer);
        try (MatrixBlocks blocks = MatrixBlocks.open(file, matrixPath(meta, layer))) {
            int nRows = blocks.nRows();
            int nCols = blocks.nCols();
            if (nRows != meta.nObs()) {
                throw new ModelException(field, "has " + nRows + " rows but obs has " + meta.nObs() + " cells");
            }
            List<String> cells = meta.obs().index();
            CellSet all = new CellSet(field, genes, cells, Preparation.allRows(nRows), nRows, nCols, o, null);
            Preparation.Groups groups = groupby == null ? null
                    : Preparation.groups(meta, groupby, field, genes, nRows, nCols, o);
            List<CellSet> sets = new ArrayList<>();
            sets.add(all);
            if (groups != null) {
                sets.addAll(groups.sets());
            }
            Preparation.noteNames(sets, VarNames.of("raw".equals(layer) && meta.raw() != null ? meta.raw().var()
                    : meta.var()).column());
            Preparation.EntrySource src = source(blocks);
            Preparation.runPasses(src, sets, tfs, active -> budget(active, gatherBudgetBytes), groups);
            PreparedData prepared = all.finish();
            GroupedData grouped = groups == null ? null : groups.result(groupby);
            LOG.debug("streamed {} of {} ({} × {}, {})", field, file, nRows, nCols, blocks.encoding());
            return new Result(prepared, grouped, all.complete() ? all.cellLevel() : null);
        }
    }

    /**
     * One pass over the stored entries in the order the in-memory scan uses: row blocks for CSR and dense storage,
     * column blocks for CSC (whose rows would each need a scan of the whole matrix).
     */
    static Preparation.EntrySource source(MatrixBlocks blocks) {
        return v -> blocks.forEachBlock(BLOCK_ENTRIES,
                (b, r0, c0) -> Preparation.forEachEntry(b, (r, c, x) -> v.accept(r0 + r, c0 + c, x)));
    }

    /** Cells each set may gather: all of them when the dense matrices fit the budget, else a proportional share. */
    static int[] budget(List<CellSet> sets, long budgetBytes) {
        long need = 0;
        for (CellSet s : sets) {
            need += 4L * s.keptCells() * s.selectedGenes();
        }
        int[] max = new int[sets.size()];
        double share = need <= budgetBytes ? 1 : (double) budgetBytes / need;
        for (int i = 0; i < max.length; i++) {
            CellSet s = sets.get(i);
            max[i] = share >= 1 ? Integer.MAX_VALUE : (int) Math.max(2, Math.floor(s.keptCells() * share));
        }
        return max;
    }
}

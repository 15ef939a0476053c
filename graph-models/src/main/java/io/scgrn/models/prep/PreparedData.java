package io.scgrn.models.prep;

import io.scgrn.models.ExpressionMatrix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of preparation, with what was done for the run manifest.
 *
 * @param matrix      cells (or metacells) × genes, log-normalised, genes in file order
 * @param tfs         the candidate regulators present in {@code matrix}, in matrix order
 * @param source      the matrix used: "X", "raw/X" or "layers/NAME"
 * @param rawCounts   whether the values were detected as raw counts (non-negative integers)
 * @param normalized  whether library-size normalisation + log1p was applied
 * @param targetSum   library size used for normalisation (NaN when not normalised)
 * @param hvgFlavor   gene-selection method used ("none" when every gene was kept)
 * @param cellsIn     cells in the input (or group)
 * @param genesIn     genes in the input
 * @param steps       one line per step, e.g. "detected raw counts → normalised to 2,345 per cell + log1p"
 * @param group       the obs category these cells belong to, or null for all cells
 */
public record PreparedData(ExpressionMatrix matrix, List<String> tfs, String source, boolean rawCounts,
                           boolean normalized, double targetSum, String hvgFlavor, int cellsIn, int genesIn,
                           List<String> steps, String group) {
    public PreparedData {
        tfs = List.copyOf(tfs);
        steps = List.copyOf(steps);
    }

    /** A JSON-friendly summary for the manifest. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (group != null) {
            m.put("group", group);
        }
        m.put("source", source);
        m.put("raw_counts_detected", rawCounts);
        m.put("normalized", normalized);
        if (normalized) {
            m.put("target_sum", targetSum);
        }
        m.put("hvg_flavor", hvgFlavor);
        m.put("cells_in", cellsIn);
        m.put("genes_in", genesIn);
        m.put("cells", matrix.nCells());
        m.put("genes", matrix.nGenes());
        m.put("tfs", tfs.size());
        m.put("steps", steps);
        return m;
    }
}

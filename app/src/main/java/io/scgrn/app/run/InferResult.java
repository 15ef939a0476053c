package io.scgrn.app.run;

import io.scgrn.models.Network;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link InferPipeline#run} produced. All paths are inside {@link #outDir()} and exist when the result is
 * returned.
 *
 * @param outDir        the output folder
 * @param files         every file written, by name relative to outDir ({@code network.tsv},
 *                      {@code groups/B_cells/network.tsv}, …), in writing order
 * @param manifest      {@code manifest.json}
 * @param network       the network over all cells, best first
 * @param groupNetworks one network per category of the groupby column (empty without groupby), by category
 * @param model         the model name actually used
 * @param device        the device actually used ("cpu" or "gpu")
 * @param nCells        cells used
 * @param nGenes        genes used after preparation
 * @param nTfs          candidate regulators present in the data
 * @param timingsMs     wall milliseconds per phase, in run order
 * @param scores        metrics against the truth file (epr, auprc_ratio, auroc, auprc, early_precision, …); empty
 *                      without a truth file
 */
public record InferResult(Path outDir, Map<String, Path> files, Path manifest, Network network,
                          Map<String, Network> groupNetworks, String model, String device, int nCells, int nGenes,
                          int nTfs, Map<String, Long> timingsMs, Map<String, Double> scores) {
    public InferResult {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        groupNetworks = Collections.unmodifiableMap(new LinkedHashMap<>(groupNetworks));
        timingsMs = Collections.unmodifiableMap(new LinkedHashMap<>(timingsMs));
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    /** {@code network.tsv}. */
    public Path networkTsv() {
        return outDir.resolve(InferPipeline.NETWORK_TSV);
    }

    /** {@code network.arrow}. */
    public Path networkArrow() {
        return outDir.resolve(InferPipeline.NETWORK_ARROW);
    }

    /** {@code regulons.tsv}. */
    public Path regulonsTsv() {
        return outDir.resolve(InferPipeline.REGULONS_TSV);
    }

    /** {@code result.h5ad}, or null when not written. */
    public Path resultH5ad() {
        Path p = files.get(InferPipeline.RESULT_H5AD);
        return p;
    }
}

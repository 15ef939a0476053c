package io.scgrn.models.baseline;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.ModelParams;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.Correlations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Co-expression baselines: score = |r| and sign = sign(r) for every TF × gene pair (self-loops excluded), where r
 * is Pearson's correlation of the given values ({@code pearson}) or of their ranks ({@code spearman}, ties
 * averaged). Computed as one matrix product of standardised gene columns ({@link Correlations}), in parallel
 * over TFs; deterministic.
 *
 * <p>Parameters: {@code max-edges} (keep only the best N edges; default all).
 */
public final class CorrelationModel implements GrnModel {
    private final boolean ranks;

    private CorrelationModel(boolean ranks) {
        this.ranks = ranks;
    }

    /** |Pearson r| of the values as given. */
    public static CorrelationModel pearson() {
        return new CorrelationModel(false);
    }

    /** |Spearman ρ| (Pearson of average ranks). */
    public static CorrelationModel spearman() {
        return new CorrelationModel(true);
    }

    @Override
    public String name() {
        return ranks ? "spearman" : "pearson";
    }

    @Override
    public void checkParams(Map<String, String> params) {
        ModelParams.check(params, List.of("max-edges"));
        ModelParams.intValue(params, "max-edges", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
    }

    /**
     * @param data cells × genes
     * @return nTF × (nGenes − 1) edges (TFs present in data), best first
     */
    @Override
    public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        checkParams(options.params());
        int maxEdges = ModelParams.intValue(options.params(), "max-edges", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        int[] tfIdx = ModelInputs.tfIndices(data, tfs);
        progress.phase("score");
        double[][] r = correlations(data, tfIdx, ranks, progress);
        List<Edge> edges = new ArrayList<>();
        List<String> genes = data.genes();
        for (int t = 0; t < tfIdx.length; t++) {
            String tf = genes.get(tfIdx[t]);
            for (int g = 0; g < genes.size(); g++) {
                if (g == tfIdx[t]) {
                    continue;
                }
                double v = r[t][g];
                edges.add(new Edge(tf, genes.get(g), Math.abs(v), (int) Math.signum(v), Double.NaN));
            }
        }
        Network net = new Network(edges);
        return maxEdges < net.size() ? net.top(maxEdges) : net;
    }

    /**
     * Correlation of each TF column with every gene column.
     *
     * @param tfIdx gene indices of the TFs
     * @return r[nTF][nGenes]; a constant gene correlates 0 with everything
     */
    static double[][] correlations(ExpressionMatrix data, int[] tfIdx, boolean ranks, Progress progress) {
        double[][] blocks = Correlations.standardisedRowBlocks(data.values(), data.nCells(), data.nGenes(), ranks);
        return Correlations.crossProducts(blocks, data.nGenes(), tfIdx, done -> {
            ModelInputs.checkCancelled(progress);
            progress.fraction(done);
        });
    }
}

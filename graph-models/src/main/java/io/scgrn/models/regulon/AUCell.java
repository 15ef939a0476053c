package io.scgrn.models.regulon;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.numerics.Sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * AUCell (Aibar et al. 2017): per cell, rank the genes by expression (highest first; ties in a random order fixed
 * by the seed, the same for every cell, as pySCENIC does); a regulon's activity is the area under its recovery
 * curve within the top K = round(aucMaxRank × genes) ranks, normalised to 0..1:
 * <pre>AUC = Σ over regulon genes g with rank(g) &lt; K of (K − rank(g)) / (K · n)</pre>
 * with 0-based ranks and n the regulon's genes present in the data. A regulon with no gene in the data scores 0.
 */
public final class AUCell {
    private AUCell() {
    }

    /**
     * @param data       cells × genes
     * @param regulons   regulons (targets not in {@code data} are ignored)
     * @param aucMaxRank fraction of the ranking that counts (pySCENIC's default 0.05)
     * @param seed       seed of the tie-breaking gene order
     * @return activity, cells × regulons
     */
    public static RegulonActivity score(ExpressionMatrix data, List<Regulon> regulons, double aucMaxRank,
                                        long seed) {
        if (!(aucMaxRank > 0 && aucMaxRank <= 1)) {
            throw new ModelException("auc-max-rank", "must be in (0, 1], not " + aucMaxRank);
        }
        int n = data.nCells();
        int g = data.nGenes();
        int k = Math.max(1, (int) Math.round(aucMaxRank * g));
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < g; j++) {
            index.putIfAbsent(data.genes().get(j), j);
        }
        int r = regulons.size();
        int[][] members = new int[r][];
        for (int i = 0; i < r; i++) {
            members[i] = regulons.get(i).targets().stream().map(index::get).filter(x -> x != null).distinct()
                    .mapToInt(Integer::intValue).toArray();
        }
        // tie order: a seeded permutation of the genes
        int[] tieRank = Sampling.permutation(g, new SplittableRandom(seed));
        int[] geneOfTie = new int[g];
        for (int j = 0; j < g; j++) {
            geneOfTie[tieRank[j]] = j;
        }
        float[] out = new float[n * r];
        float[] v = data.values();
        IntStream.range(0, n).parallel().forEach(c -> {
            long[] keys = new long[g];
            int base = c * g;
            for (int j = 0; j < g; j++) {
                // high 32 bits: expression in descending order; low 32 bits: tie rank
                long desc = 0xFFFFFFFFL - orderedBits(v[base + j]);
                keys[j] = (desc << 32) | (tieRank[j] & 0xFFFFFFFFL);
            }
            // sorting packed keys sorts by expression then tie rank; the gene is recovered from the tie rank
            Arrays.sort(keys);
            int[] rank = new int[g];
            Arrays.fill(rank, Integer.MAX_VALUE);
            for (int p = 0; p < k; p++) {
                rank[geneOfTie[(int) (keys[p] & 0xFFFFFFFFL)]] = p;
            }
            for (int i = 0; i < r; i++) {
                int[] m = members[i];
                if (m.length == 0) {
                    continue;
                }
                long area = 0;
                for (int j : m) {
                    if (rank[j] < k) {
                        area += k - rank[j];
                    }
                }
                out[c * r + i] = (float) ((double) area / ((double) k * m.length));
            }
        });
        List<String> names = new ArrayList<>(r);
        for (Regulon reg : regulons) {
            names.add(reg.name());
        }
        return new RegulonActivity(data.cells(), names, out);
    }

    /** An unsigned 32-bit key with the same order as the float (NaN is not expected here). */
    static long orderedBits(float f) {
        int bits = Float.floatToIntBits(f == 0f ? 0f : f); // -0 and +0 tie
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return (ordered & 0xFFFFFFFFL) ^ 0x80000000L;
    }
}

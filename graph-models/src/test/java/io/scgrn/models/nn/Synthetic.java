package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small planted linear networks for tests: targets = Σ weight × TF + noise. */
final class Synthetic {
    private Synthetic() {
    }

    /**
     * @param edges rows of {tf, target, weight×100} over genes g0..g{nGenes-1}; TFs are g0..g{nTf-1}
     */
    static ExpressionMatrix linear(int nCells, int nGenes, int nTf, int[][] edges, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[nCells * nGenes];
        for (int c = 0; c < nCells; c++) {
            double[] x = new double[nGenes];
            for (int j = 0; j < nGenes; j++) {
                x[j] = rnd.nextGaussian();
            }
            // Edges are listed so that a TF's own inputs come before its outputs (acyclic, in order).
            for (int[] e : edges) {
                x[e[1]] += e[2] / 100.0 * x[e[0]];
            }
            for (int j = 0; j < nGenes; j++) {
                v[c * nGenes + j] = (float) x[j];
            }
        }
        return new ExpressionMatrix(v, names("c", nCells), names("g", nGenes));
    }

    static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }
}

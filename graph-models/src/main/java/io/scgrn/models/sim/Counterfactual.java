package io.scgrn.models.sim;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.ModelException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The same simulated cells under a perturbation: what their RNA would have been had some TFs' expression been
 * multiplied by a factor (0 = knock-out) — the truth against which in-silico perturbation is scored.
 *
 * <p>The simulation is run twice from the same seed. In the second run each perturbed TF's latent log level is
 * shifted by ln(factor) in every cell (−∞ for a knock-out) as soon as it is drawn, so everything downstream (its
 * targets, downstream TFs, their targets) responds through the true model; every random draw of the latent stage
 * (noise, enhancer states) is the same in both runs, so genes that do not depend on the perturbed TFs keep exactly
 * their latent levels. Counts are then coupled to the original counts cell by cell and gene by gene: the original
 * count k is mapped to a uniform u within its step of the (drop-out inflated) negative-binomial CDF at the original
 * mean, and the counterfactual count is that CDF's inverse at u under the counterfactual mean. A gene whose mean
 * does not change keeps its count; one whose mean rises or falls moves monotonically with the same technical noise.
 *
 * @param original    the unperturbed simulation (what {@link MultiomeSimulator#simulate(SimulationConfig)} gives)
 * @param factors     perturbed TF → expression factor
 * @param rna         cells × genes counterfactual counts, CSR (float32 integers)
 * @param latentOrig  genes × cells latent log levels, unperturbed
 * @param latentCf    genes × cells latent log levels under the perturbation
 */
public record Counterfactual(Simulation original, Map<String, Double> factors, SparseMatrix rna,
                             double[][] latentOrig, double[][] latentCf) {
    private static final double THETA = 10;

    /**
     * Simulates {@code cfg} and its counterfactual.
     *
     * @param factors TF name → factor ≥ 0 on its expression (0 knocks it out)
     * @throws ModelException (field "perturb") for an unknown TF or a negative/non-finite factor
     */
    public static Counterfactual simulate(SimulationConfig cfg, Map<String, Double> factors) {
        return simulate(cfg, null, factors);
    }

    /**
     * Simulates {@code cfg} with the TFs named {@code tfNames} (may be null: TF01, TF02, …; see
     * {@link MultiomeSimulator#simulate(SimulationConfig, List)}) and its counterfactual.
     */
    public static Counterfactual simulate(SimulationConfig cfg, List<String> tfNames, Map<String, Double> factors) {
        if (factors.isEmpty()) {
            throw new ModelException("perturb", "nothing to perturb");
        }
        double[][] orig = new double[cfg.genes()][];
        double[] library = new double[cfg.cells()];
        Simulation sim = MultiomeSimulator.simulate(cfg, tfNames, new MultiomeSimulator.LatentHook() {
            @Override
            public double[] latent(int gene, double[] l) {
                orig[gene] = l;
                return l;
            }

            @Override
            public void library(double[] lib) {
                System.arraycopy(lib, 0, library, 0, lib.length);
            }
        });
        Map<Integer, Double> shift = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : factors.entrySet()) {
            int g = sim.genes().indexOf(e.getKey());
            if (g < 0 || g >= cfg.tfs()) {
                throw new ModelException("perturb", "'" + e.getKey() + "' is not a TF of the simulation (TFs: "
                        + sim.tfs().get(0) + " … " + sim.tfs().get(sim.tfs().size() - 1) + ")");
            }
            double f = e.getValue();
            if (!(f >= 0) || Double.isInfinite(f)) {
                throw new ModelException("perturb", e.getKey() + ": factor must be a finite number ≥ 0, not " + f);
            }
            shift.put(g, f == 0 ? Double.NEGATIVE_INFINITY : Math.log(f));
        }
        double[][] cf = new double[cfg.genes()][];
        MultiomeSimulator.simulate(cfg, tfNames, new MultiomeSimulator.LatentHook() {
            @Override
            public double[] latent(int gene, double[] l) {
                Double s = shift.get(gene);
                double[] out = l;
                if (s != null) {
                    out = new double[l.length];
                    for (int c = 0; c < l.length; c++) {
                        out[c] = l[c] + s;
                    }
                }
                cf[gene] = out;
                return out;
            }

            @Override
            public void library(double[] lib) {
            }
        });
        SparseMatrix counts = coupledCounts(sim.rna(), orig, cf, library, cfg.dropout(),
                new SplittableRandom(cfg.seed() ^ 0x5CF0_0C0F_FEE1L));
        return new Counterfactual(sim, Map.copyOf(factors), counts, orig, cf);
    }

    private static SparseMatrix coupledCounts(SparseMatrix original, double[][] lo, double[][] lc, double[] library,
                                              double dropout, SplittableRandom rnd) {
        int nG = lo.length;
        int nC = library.length;
        int[] idx0 = original.indices();
        long[] ptr0 = original.indptr();
        NumArray data0 = original.data();
        List<Integer> idx = new ArrayList<>();
        List<Float> vals = new ArrayList<>();
        long[] ptr = new long[nC + 1];
        double[] muO = new double[nG];
        double[] muC = new double[nG];
        int[] k0 = new int[nG];
        for (int c = 0; c < nC; c++) {
            means(lo, c, library[c], muO);
            means(lc, c, library[c], muC);
            Arrays.fill(k0, 0);
            for (long p = ptr0[c]; p < ptr0[c + 1]; p++) {
                k0[idx0[(int) p]] = (int) data0.get((int) p);
            }
            for (int g = 0; g < nG; g++) {
                int k;
                if (muO[g] == muC[g]) {
                    k = k0[g];
                } else {
                    double lower = k0[g] == 0 ? 0 : cdf(k0[g] - 1, muO[g], dropout);
                    double upper = cdf(k0[g], muO[g], dropout);
                    double u = lower + (upper - lower) * rnd.nextDouble();
                    k = inverse(u, muC[g], dropout);
                }
                if (k > 0) {
                    idx.add(g);
                    vals.add((float) k);
                }
            }
            ptr[c + 1] = idx.size();
        }
        float[] v = new float[vals.size()];
        int[] ix = new int[idx.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = vals.get(i);
            ix[i] = idx.get(i);
        }
        return new SparseMatrix(SparseMatrix.Layout.CSR, nC, nG, DType.FLOAT32, new NumArray.F32(v), ix, ptr);
    }

    /** Expected counts of one cell: library × softmax of the latent levels (as the simulator draws them). */
    private static void means(double[][] latent, int c, double library, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] l : latent) {
            max = Math.max(max, l[c]);
        }
        double sum = 0;
        for (int g = 0; g < latent.length; g++) {
            out[g] = Math.exp(latent[g][c] - max);
            sum += out[g];
        }
        for (int g = 0; g < latent.length; g++) {
            out[g] = library * out[g] / sum;
        }
    }

    /**
     * P(observed ≤ k), k ≥ 0: negative binomial (θ = 10) whose positive counts are zeroed with probability
     * {@code dropout}, so P(obs = 0) = f(0) + d·(1 − f(0)) and P(obs = k) = (1 − d)·f(k): CDF = d + (1 − d)·F(k).
     */
    static double cdf(int k, double mu, double dropout) {
        if (mu <= 0) {
            return 1;
        }
        double p = THETA / (THETA + mu);
        double pmf = Math.pow(p, THETA);
        double cdf = pmf;
        for (int i = 1; i <= k; i++) {
            pmf *= (i - 1 + THETA) / i * (1 - p);
            cdf += pmf;
        }
        return Math.min(1, dropout + (1 - dropout) * cdf);
    }

    /** The smallest k with cdf(k) ≥ u. */
    static int inverse(double u, double mu, double dropout) {
        if (mu <= 0) {
            return 0;
        }
        double p = THETA / (THETA + mu);
        double pmf = Math.pow(p, THETA);
        double cdf = dropout + (1 - dropout) * pmf;
        int k = 0;
        int cap = (int) Math.min(Integer.MAX_VALUE - 1, 50 + 20 * mu);
        while (cdf < u && k < cap) {
            k++;
            pmf *= (k - 1 + THETA) / k * (1 - p);
            cdf += (1 - dropout) * pmf;
        }
        return k;
    }

    /** Gene names, for outputs. */
    public List<String> genes() {
        return original.genes();
    }

    /**
     * The counterfactual cells as an AnnData: the original cells (obs {@code cell_type}) × genes, X = counts,
     * {@code uns["perturbation"]} = TF → factor.
     */
    public AnnData toAnnData() {
        List<String> types = original.cellType().stream().distinct().sorted().toList();
        int[] codes = original.cellType().stream().mapToInt(types::indexOf).toArray();
        Column ct = new Column.Categorical("cell_type", codes, types, false, DType.STRING, "categorical");
        DataFrame obs = new DataFrame("_index", original.cells(), List.of(ct));
        DataFrame var = new DataFrame("_index", original.genes(), List.of());
        Map<String, Object> uns = new LinkedHashMap<>();
        Map<String, Object> pert = new LinkedHashMap<>();
        factors.forEach(pert::put);
        uns.put("perturbation", pert);
        return new AnnData(null, "/", obs, var, rna, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), uns, null);
    }

    /**
     * Per gene: whether the perturbation reaches it, the mean change of its latent log level over the cells (the
     * noise-free effect; −inf for a knocked-out TF), and the log2 ratio of its mean expected share of the library.
     */
    public void writeTruth(Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("gene\taffected\tmean_latent_change\tlog2_expected_ratio\n");
            int nC = original.cells().size();
            for (int g = 0; g < latentOrig.length; g++) {
                double d = 0;
                double so = 0;
                double sc = 0;
                boolean affected = false;
                for (int c = 0; c < nC; c++) {
                    d += latentCf[g][c] - latentOrig[g][c];
                    affected |= latentCf[g][c] != latentOrig[g][c];
                    so += Math.exp(latentOrig[g][c]);
                    sc += Math.exp(latentCf[g][c]);
                }
                w.write(String.format(Locale.ROOT, "%s\t%s\t%.6g\t%.6g%n", original.genes().get(g), affected,
                        d / nC, Math.log(sc / so) / Math.log(2)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

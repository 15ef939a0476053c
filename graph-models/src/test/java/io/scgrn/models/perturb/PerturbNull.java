package io.scgrn.models.perturb;

import io.scgrn.anndata.AnnData;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Diagnostic (not a test; docs/benchmarks.md, "In-silico perturbation: round 15"): the predicted mean shift of every
 * gene when each TF of the simulation in turn is knocked out (the {@link PerturbDiag} variant {@code -Dvariant},
 * default the shipped {@code X:final:cfit/0.25:ctot/0.25}), written as {@code n_SEED.tsv} (gene × TF) to
 * {@code -Ddump}: the label-free null of a gene's predicted shift under other TFs' knock-outs, for
 * {@code bench/perturb_sparse.py}. Networks from {@code -DnetCache} as {@link PerturbDiag#cached}. Run:
 * {@code java -cp <test class path> io.scgrn.models.perturb.PerturbNull MODEL SEEDS FIRST_SEED}.
 */
public final class PerturbNull {
    private PerturbNull() {
    }

    public static void main(String[] args) throws IOException {
        String model = args[0];
        int seeds = Integer.parseInt(args[1]);
        int first = Integer.parseInt(args[2]);
        String variant = System.getProperty("variant", "X:final:cfit/0.25:ctot/0.25");
        Path dump = Path.of(System.getProperty("dump"));
        for (int seed = first; seed < first + seeds; seed++) {
            SimulationConfig cfg = new SimulationConfig(2000, 300, 3000, 30, 4, 0.1, 0.7, seed);
            Simulation sim = MultiomeSimulator.simulate(cfg);
            AnnData rna = sim.toMuData().mod().get("rna");
            List<Edge> net = PerturbDiag.cached(model, sim, rna, seed);
            List<String> genes = sim.genes();
            int nC = sim.cells().size();
            int nG = genes.size();
            double[] libO = PerturbBenchmark.librarySizes(sim.rna(), nC);
            double target = PerturbBenchmark.median(Arrays.stream(libO).boxed().toList());
            float[] xo = PerturbBenchmark.logNorm(sim.rna(), libO, target, nG);
            ExpressionMatrix x = new ExpressionMatrix(xo, sim.cells(), genes);
            List<String> types = sim.cellType().stream().distinct().sorted().toList();
            int[] groupOf = sim.cellType().stream().mapToInt(types::indexOf).toArray();
            PerturbDiag.GROUPS = groupOf;
            PerturbDecomp.PARTS.clear(); // keyed by identity hashes, which a new seed's objects may reuse
            List<String> tfs = sim.tfs().stream().filter(genes::contains).toList();
            double[][] p = new double[tfs.size()][];
            for (int i = 0; i < tfs.size(); i++) {
                p[i] = PerturbDiag.predict(variant, x, groupOf, types, net, net, sim.tfs(), tfs.get(i));
            }
            StringBuilder sb = new StringBuilder("gene");
            tfs.forEach(t -> sb.append('\t').append(t));
            sb.append('\n');
            for (int g = 0; g < nG; g++) {
                sb.append(genes.get(g));
                for (double[] row : p) {
                    sb.append('\t').append(row[g]);
                }
                sb.append('\n');
            }
            Files.writeString(dump.resolve("n_" + seed + ".tsv"), sb);
            System.out.println("seed " + seed + ": " + tfs.size() + " TFs");
        }
    }
}

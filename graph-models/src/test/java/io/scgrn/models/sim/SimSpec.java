package io.scgrn.models.sim;

import io.scgrn.anndata.MuData;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.atac.MultiomeInputs;

/**
 * The multiome benchmark harnesses' simulation argument {@code TYPES:GATED:CONFOUNDING:SEED} (cell types, share of
 * chromatin-gated edges, cell-type confounding, seed), one parser for all of them ({@code MotifScanAccuracy},
 * {@code NoMotifDiagnosis}, {@code StateDiagnosis}, {@code EvidenceStudy}): max(10, genes / 10) TFs, dropout 0.1.
 */
public final class SimSpec {
    private SimSpec() {
    }

    /** The simulation {@code spec} names, at the given size. */
    public static SimulationConfig config(int cells, int genes, int peaks, String spec) {
        String[] f = spec.split(":");
        return new SimulationConfig(cells, genes, peaks, Math.max(10, genes / 10), Integer.parseInt(f[0]), 0.1,
                Double.parseDouble(f[1]), Long.parseLong(f[3]), Double.parseDouble(f[2]));
    }

    /** A simulation as its MuData, and its RNA and ATAC paired on their common cells as the ATAC step reads them. */
    public record Paired(Simulation sim, MuData md, MultiomeData data) {
        public static Paired of(Simulation sim) {
            MuData md = sim.toMuData();
            return new Paired(sim, md, MultiomeInputs.pair(md.mod().get("rna"), md.mod().get("atac"), null));
        }
    }

    /** The simulation {@code spec} names, at the given size, simulated and paired. */
    public static Paired paired(int cells, int genes, int peaks, String spec) {
        return Paired.of(MultiomeSimulator.simulate(config(cells, genes, peaks, spec)));
    }
}

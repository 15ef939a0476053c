package io.scgrn.models.sim;

import io.scgrn.models.Edge;
import io.scgrn.models.Network;
import io.scgrn.models.atac.AtacAnalysis;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.CellStates;
import io.scgrn.models.atac.ChromatinSignals;
import io.scgrn.models.atac.Metacells;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.atac.PeakGeneLink;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Truth;
import io.scgrn.models.numerics.Correlations;
import io.scgrn.models.numerics.ReferenceStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Diagnosis, not a test: label-free statistics of a multiome simulation that might say where the no-motif path
 * (the RNA model's ranking blended with the within-state TF–gene correlation) gains or loses against RNA alone.
 * Per simulation, over the joint RNA + ATAC cell states ({@link CellStates#states}, 8):
 * <ul>
 *   <li>sTF, sGene: the TFs' and all genes' between-state share of log-expression variance;</li>
 *   <li>infl: mean r² over TF–gene pairs, all cells, ÷ the same within states (how much of the pairs'
 *       co-expression the states carry: the cell-type confounding the blend removes);</li>
 *   <li>chromatin: the genes' between-state share explained by their best linked distal peak (accessibility state
 *       means against the gene's, r², genes with a positive significant link more than 2 kb from the TSS), minus
 *       the same against a random distal peak of another gene (a null); and the linked peaks' between-state share
 *       of accessibility;</li>
 *   <li>over metacells ({@link ChromatinSignals}, as the ATAC step computes them for
 *       {@code state-share-from=chromatin}): what the gene's best distal linked peak adds to the R² of its best
 *       single TF (median over linked genes), and the TF–peak coupling's right tail against its null (share of TF ×
 *       linked-peak pairs with z &gt; 2, z against the TF's own spread as the no-motif prior scores them, ÷ the
 *       normal's 0.0228);</li>
 *   <li>to look only (truth): EPR of |r| over all cells and of the within-state |r|.</li>
 * </ul>
 *
 * <pre>java -cp CP io.scgrn.models.sim.NoMotifDiagnosis CELLS GENES PEAKS TYPES:GATED:CONFOUNDING:SEED ...</pre>
 */
public final class NoMotifDiagnosis {
    private NoMotifDiagnosis() {
    }

    public static void main(String[] args) {
        int cells = Integer.parseInt(args[0]);
        int genes = Integer.parseInt(args[1]);
        int peaks = Integer.parseInt(args[2]);
        System.out.println("| cells | types | gated | conf. | seed | sTF | sGene | infl | link r² (null) | peak s "
                + "| beyond-TF R² gain | coupling tail ÷ null | EPR |r| all | EPR |r| within |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int a = 3; a < args.length; a++) {
            String[] f = args[a].split(":");
            long seed = Long.parseLong(f[3]);
            SimSpec.Paired run = SimSpec.paired(cells, genes, peaks, args[a]);
            Simulation sim = run.sim();
            MultiomeData data = run.data();
            AtacSettings s = AtacSettings.defaults(seed);
            int[] st = CellStates.states(data, CellStates.DEFAULT_STATES, s);
            int n = data.nCells();
            int g = data.nGenes();
            int[] tfIdx = sim.tfs().stream().mapToInt(data.genes()::indexOf).filter(i -> i >= 0).toArray();
            double[] share = betweenShares(data.rna(), n, g, st);
            double sTf = Arrays.stream(tfIdx).mapToDouble(i -> share[i]).average().orElse(0);
            double sGene = Arrays.stream(share).average().orElse(0);
            float[][] all = Correlations.standardisedColumns(data.rna(), n, g);
            float[][] within = Correlations.standardisedColumns(CellStates.residual(data.rna().clone(), n, g, st),
                    n, g);
            double r2a = 0;
            double r2w = 0;
            List<Edge> ea = new ArrayList<>();
            List<Edge> ew = new ArrayList<>();
            for (int t : tfIdx) {
                for (int j = 0; j < g; j++) {
                    if (j == t) {
                        continue;
                    }
                    double ra = Correlations.dot(all[t], all[j]);
                    double rw = Correlations.dot(within[t], within[j]);
                    r2a += ra * ra;
                    r2w += rw * rw;
                    ea.add(new Edge(data.genes().get(t), data.genes().get(j), Math.abs(ra), 1, Double.NaN));
                    ew.add(new Edge(data.genes().get(t), data.genes().get(j), Math.abs(rw), 1, Double.NaN));
                }
            }
            double[] chrom = chromatin(data, st, s, tfIdx);
            List<String[]> pairs = new ArrayList<>();
            sim.edges().forEach(e -> pairs.add(new String[] {e.tf(), e.target()}));
            Truth truth = Evaluation.truth(pairs);
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %.3f | %.3f | %.2f | %.3f (%.3f) | %.3f "
                    + "| %.3f | %.2f | %.2f | %.2f |%n", cells, f[0], f[1], f[2], f[3], sTf, sGene, r2a / r2w, chrom[0], chrom[1],
                    chrom[2], chrom[3], chrom[4], epr(ea, truth), epr(ew, truth));
        }
    }

    private static double epr(List<Edge> edges, Truth truth) {
        edges.sort(Network.RANKING);
        return Evaluation.score(new Network(edges), truth).epr();
    }

    /** Per column, 1 − within-state SS / total SS (0 for a constant column). */
    static double[] betweenShares(float[] x, int n, int g, int[] st) {
        float[] res = CellStates.residual(x.clone(), n, g, st);
        double[] out = new double[g];
        for (int j = 0; j < g; j++) {
            double mean = 0;
            for (int c = 0; c < n; c++) {
                mean += x[c * g + j];
            }
            mean /= n;
            double ss = 0;
            double w = 0;
            for (int c = 0; c < n; c++) {
                double d = x[c * g + j] - mean;
                ss += d * d;
                w += (double) res[c * g + j] * res[c * g + j];
            }
            out[j] = ss > 0 ? 1 - w / ss : 0;
        }
        return out;
    }

    /** {mean r² of gene vs best distal link (state means), the same against a shifted null link, peaks' s}. */
    private static double[] chromatin(MultiomeData data, int[] st, AtacSettings s, int[] tfIdx) {
        Metacells meta = AtacAnalysis.metacells(data, s);
        List<PeakGeneLink> links = AtacAnalysis.links(data, meta, s);
        Map<Integer, PeakGeneLink> best = new HashMap<>();
        best.putAll(ChromatinSignals.bestDistalLinks(links));
        int n = data.nCells();
        int g = data.nGenes();
        int k = Arrays.stream(st).max().orElse(0) + 1;
        int[] count = new int[k];
        for (int c : st) {
            count[c]++;
        }
        double[][] geneMeans = new double[g][k];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                geneMeans[j][st[c]] += data.rna()[c * g + j] / count[st[c]];
            }
        }
        List<Integer> genes = new ArrayList<>(best.keySet());
        genes.sort(null);
        double[][] peakMeans = new double[genes.size()][];
        double peakShare = 0;
        int[][] csc = data.atac().toCsc();
        for (int i = 0; i < genes.size(); i++) {
            int p = best.get(genes.get(i)).peak();
            double[] col = new double[n];
            for (int q = csc[0][p]; q < csc[0][p + 1]; q++) {
                col[csc[1][q]] = 1;
            }
            double[] m = new double[k];
            for (int c = 0; c < n; c++) {
                m[st[c]] += col[c] / count[st[c]];
            }
            peakMeans[i] = m;
            double mean = Arrays.stream(col).average().orElse(0);
            double ss = 0;
            double w = 0;
            for (int c = 0; c < n; c++) {
                ss += (col[c] - mean) * (col[c] - mean);
                w += (col[c] - m[st[c]]) * (col[c] - m[st[c]]);
            }
            peakShare += ss > 0 ? 1 - w / ss : 0;
        }
        double own = 0;
        double nul = 0;
        int m = genes.size();
        for (int i = 0; i < m; i++) {
            double r = ReferenceStatistics.pearson(geneMeans[genes.get(i)], peakMeans[i]);
            double r0 = ReferenceStatistics.pearson(geneMeans[genes.get(i)], peakMeans[(i + m / 2) % m]);
            own += r * r;
            nul += r0 * r0;
        }
        // over metacells: the beyond-TF gain and the TF-peak coupling's tail ÷ null, as the ATAC step computes them
        ChromatinSignals.Signals cs = ChromatinSignals.of(meta, g, data.nPeaks(), links, tfIdx);
        double gain = cs.beyondTfGain();
        double excess = cs.couplingTail();
        return new double[] {m > 0 ? own / m : 0, m > 0 ? nul / m : 0, m > 0 ? peakShare / m : 0, gain, excess};
    }
}

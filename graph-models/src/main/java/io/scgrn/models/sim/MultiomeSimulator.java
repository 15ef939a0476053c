package io.scgrn.models.sim;

import io.scgrn.anndata.DType;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.atac.GeneLocus;
import io.scgrn.models.atac.GenomicInterval;
import io.scgrn.models.numerics.CountSampler;
import io.scgrn.models.numerics.Sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulates paired scRNA + scATAC data from a known GRN in which regulation needs open chromatin.
 *
 * <p>The model, gene by gene in topological order (master TFs, downstream TFs, then other genes):
 * <ul>
 *   <li>Genome: genes on 2–12 chromosomes, ~200 kb apart, random strand; each gene has a promoter peak at its
 *       TSS. Each regulatory edge TF → target acts through an enhancer peak 2–90 kb from the target's TSS (two
 *       TFs may share one). The remaining peaks are distractors: half near genes, half anywhere, with their own
 *       cell-type-specific openness but no effect on expression.</li>
 *   <li>Latent log expression of gene g in cell c of type k: {@code b_g + e_gk + Σ s·w·h(x_tf)·open(enh, c) +
 *       ε}, with {@code h(x) = x²/(1+x²)} of the TF's level relative to its median, s the sign, w ~ U(0.8, 2),
 *       ε ~ N(0, 0.25²); master TFs vary by cell type ({@code e_gk} sd 0.8), other genes a little (sd 0.25).</li>
 *   <li>Chromatin: a gated enhancer (fraction {@code gatedFraction} of edges) is accessible only in a random
 *       subset of cell types; the others in all. Where accessible, it opens with probability 0.35 + 0.6·h(TF)
 *       (bound TFs keep chromatin open); elsewhere with probability 0.02. The edge acts only in cells where its
 *       enhancer is open. Promoters open with probability 0.2 + 0.7·h(gene level).</li>
 *   <li>Counts: RNA ~ negative binomial (θ = 10, drawn as gamma–Poisson by {@link CountSampler}, exact at every
 *       mean) around library size × softmax of the latent levels, then
 *       zeroed with probability {@code dropout}; ATAC observed = open × Bernoulli(capture_c) with capture ~
 *       log-normal around 0.35, plus background fragments in closed peaks (0.3 %).</li>
 *   <li>Motif scan: each true TF binding is found with probability 0.9; every peak also gets Poisson(1) false
 *       hits of random TFs, as a genome-wide motif scan gives many more hits than bound sites.</li>
 * </ul>
 * Everything is drawn from one seeded {@link SplittableRandom}, sequentially: the same config gives identical
 * output.
 */
public final class MultiomeSimulator {
    private static final double LATENT_NOISE = 0.25;
    private static final double THETA = 10;

    private MultiomeSimulator() {
    }

    private static final class PeakSpec {
        final String chrom;
        final long start;
        final long end;
        final int role; // 0 promoter, 1 enhancer, 2 distractor
        final int gene; // promoter/enhancer gene, -1 otherwise
        final List<Integer> tfs = new ArrayList<>();
        boolean gated;
        double[] typeOpen; // per cell type: 1 accessible, 0 not (enhancers); probability (distractors)
        int index;

        PeakSpec(String chrom, long start, long end, int role, int gene) {
            this.chrom = chrom;
            this.start = start;
            this.end = end;
            this.role = role;
            this.gene = gene;
        }
    }

    private record Reg(int tf, int sign, double weight, PeakSpec enhancer) {
    }

    /** Runs the simulation. */
    public static Simulation simulate(SimulationConfig cfg) {
        return simulate(cfg, null, null);
    }

    /**
     * Sees each gene's latent log levels (one per cell) as they are drawn and may replace them; the replacement is
     * what downstream genes respond to (the Hill function keeps the unperturbed median). For {@link Counterfactual}.
     */
    interface LatentHook {
        double[] latent(int gene, double[] latent);

        void library(double[] library);
    }

    /**
     * Runs the simulation with the TFs named {@code tfNames} (e.g. after the motifs planted in a simulated genome)
     * instead of TF01, TF02, …; everything else is as {@link #simulate(SimulationConfig)} gives it.
     */
    public static Simulation simulate(SimulationConfig cfg, List<String> tfNames) {
        return simulate(cfg, tfNames, null);
    }

    /**
     * Runs the simulation; {@code tfNames} (may be null) names the TFs, {@code hook} (may be null) sees and may
     * change the latent levels.
     */
    static Simulation simulate(SimulationConfig cfg, List<String> tfNames, LatentHook hook) {
        if (tfNames != null && (tfNames.size() < cfg.tfs() || tfNames.stream().distinct().count() < cfg.tfs())) {
            throw new ModelException("tfs", "need " + cfg.tfs() + " distinct TF names, got " + tfNames.size());
        }
        SplittableRandom rnd = new SplittableRandom(cfg.seed());
        CountSampler counts = new CountSampler(rnd, THETA);
        int nG = cfg.genes();
        int nT = cfg.tfs();
        int nC = cfg.cells();
        int nK = cfg.cellTypes();
        List<String> genes = new ArrayList<>(nG);
        int tw = Integer.toString(nT).length();
        int gw = Integer.toString(nG - nT).length();
        for (int i = 0; i < nT; i++) {
            genes.add(tfNames != null ? tfNames.get(i) : String.format("TF%0" + tw + "d", i + 1));
        }
        for (int i = nT; i < nG; i++) {
            genes.add(String.format("G%0" + gw + "d", i - nT + 1));
        }

        GeneLocus[] loci = placeGenes(genes, rnd);
        List<List<Reg>> regs = buildGrn(cfg, rnd);

        // Peaks: promoters, enhancers, then distractors.
        List<PeakSpec> specs = new ArrayList<>();
        PeakSpec[] promoter = new PeakSpec[nG];
        for (int g = 0; g < nG; g++) {
            long tss = tss(loci[g]);
            promoter[g] = new PeakSpec(loci[g].chrom(), Math.max(0, tss - 400 - rnd.nextInt(200)),
                    tss + 400 + rnd.nextInt(200), 0, g);
            specs.add(promoter[g]);
        }
        List<List<Reg>> withEnh = new ArrayList<>();
        for (int g = 0; g < nG; g++) {
            List<Reg> out = new ArrayList<>();
            List<PeakSpec> own = new ArrayList<>();
            for (Reg r : regs.get(g)) {
                boolean gated = rnd.nextDouble() < cfg.gatedFraction();
                PeakSpec enh = null;
                if (!own.isEmpty() && rnd.nextDouble() < 0.3) {
                    PeakSpec cand = own.get(rnd.nextInt(own.size()));
                    if (cand.gated == gated) {
                        enh = cand;
                    }
                }
                if (enh == null) {
                    long tss = tss(loci[g]);
                    long dist = 2_000 + rnd.nextLong(88_000);
                    long mid = rnd.nextBoolean() ? tss + dist : Math.max(1_000, tss - dist);
                    long half = 100 + rnd.nextInt(400);
                    enh = new PeakSpec(loci[g].chrom(), mid - half, mid + half, 1, g);
                    enh.gated = gated;
                    enh.typeOpen = gated ? typePattern(nK, 0.5, rnd) : filled(nK, 1);
                    own.add(enh);
                    specs.add(enh);
                }
                enh.tfs.add(r.tf());
                out.add(new Reg(r.tf(), r.sign(), r.weight(), enh));
            }
            withEnh.add(out);
        }
        if (specs.size() > cfg.peaks()) {
            throw new ModelException("peaks", "need at least " + specs.size() + " peaks (" + nG + " promoters + "
                    + (specs.size() - nG) + " enhancers), got " + cfg.peaks());
        }
        long[] chromEnd = chromosomeEnds(loci);
        List<String> chroms = chromosomeNames(loci);
        while (specs.size() < cfg.peaks()) {
            long half = 100 + rnd.nextInt(400);
            PeakSpec d;
            if (rnd.nextBoolean()) {
                GeneLocus l = loci[rnd.nextInt(nG)];
                long mid = Math.max(1_000, tss(l) + rnd.nextLong(200_001) - 100_000);
                d = new PeakSpec(l.chrom(), mid - half, mid + half, 2, -1);
            } else {
                int ci = rnd.nextInt(chroms.size());
                long mid = 1_000 + rnd.nextLong(chromEnd[ci]);
                d = new PeakSpec(chroms.get(ci), mid - half, mid + half, 2, -1);
            }
            // Distractors: constitutive (30 %) or cell-type-specific, never affecting expression.
            d.typeOpen = rnd.nextDouble() < 0.3 ? filled(nK, 0.5) : scale(typePattern(nK, 0.4, rnd), 0.6);
            specs.add(d);
        }
        List<PeakSpec> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparing((PeakSpec p) -> chromOrder(p.chrom)).thenComparingLong(p -> p.start)
                .thenComparingLong(p -> p.end));
        for (int i = 0; i < sorted.size(); i++) {
            sorted.get(i).index = i;
        }

        // Cells.
        int[] type = new int[nC];
        double[] capture = new double[nC];
        double[] library = new double[nC];
        for (int c = 0; c < nC; c++) {
            type[c] = rnd.nextInt(nK);
            capture[c] = Math.min(0.9, Math.max(0.05, 0.35 * Math.exp(0.4 * rnd.nextGaussian())));
            library[c] = 3.0 * nG * Math.exp(0.4 * rnd.nextGaussian());
        }
        if (hook != null) {
            hook.library(library.clone());
        }
        int nMaster = Math.max(2, nT / 3);
        double[][] latent = new double[nG][];
        double[][] act = new double[nG][]; // h(x) per cell, for regulators
        IntList[] peakCells = new IntList[sorted.size()];
        for (int p = 0; p < peakCells.length; p++) {
            peakCells[p] = new IntList();
        }
        boolean[] open = new boolean[nC];
        Map<PeakSpec, boolean[]> enhState = new HashMap<>();
        for (int g = 0; g < nG; g++) {
            double b = 0.8 * rnd.nextGaussian();
            double ctSd = (g < nMaster ? 0.8 : 0.25) * cfg.confounding();
            double[] eff = new double[nK];
            for (int k = 0; k < nK; k++) {
                eff[k] = ctSd * rnd.nextGaussian();
            }
            double[] l = new double[nC];
            for (int c = 0; c < nC; c++) {
                l[c] = b + eff[type[c]] + LATENT_NOISE * rnd.nextGaussian();
            }
            for (Reg r : withEnh.get(g)) {
                boolean[] state = enhState.computeIfAbsent(r.enhancer(), e -> sampleEnhancer(e, act, type, rnd));
                double[] h = act[r.tf()];
                for (int c = 0; c < nC; c++) {
                    if (state[c]) {
                        l[c] += r.sign() * r.weight() * h[c];
                    }
                }
            }
            double[] used = hook == null ? l : hook.latent(g, l);
            latent[g] = used;
            if (g < nT) {
                act[g] = hill(used, median(l));
            }
        }
        // Observed ATAC, peak by peak.
        for (PeakSpec p : sorted) {
            IntList cells = peakCells[p.index];
            if (p.role == 1) {
                boolean[] state = enhState.get(p);
                for (int c = 0; c < nC; c++) {
                    observe(cells, c, state[c], capture[c], rnd);
                }
            } else if (p.role == 0) {
                double[] h = hill(latent[p.gene]);
                for (int c = 0; c < nC; c++) {
                    open[c] = rnd.nextDouble() < 0.2 + 0.7 * h[c];
                    observe(cells, c, open[c], capture[c], rnd);
                }
            } else {
                for (int c = 0; c < nC; c++) {
                    observe(cells, c, rnd.nextDouble() < p.typeOpen[type[c]], capture[c], rnd);
                }
            }
        }
        SparseMatrix atac = columnsToCsr(peakCells, nC);
        SparseMatrix rna = sampleCounts(latent, library, cfg.dropout(), counts, rnd);

        // Truth.
        List<Simulation.TrueEdge> edges = new ArrayList<>();
        for (int g = 0; g < nG; g++) {
            for (Reg r : withEnh.get(g)) {
                edges.add(new Simulation.TrueEdge(genes.get(r.tf()), genes.get(g), r.sign(), r.weight(),
                        r.enhancer().index, r.enhancer().gated));
            }
        }
        List<Simulation.PeakGeneTruth> peakGenes = new ArrayList<>();
        List<Simulation.MotifHit> motifs = new ArrayList<>();
        for (PeakSpec p : sorted) {
            if (p.role == 1) {
                peakGenes.add(new Simulation.PeakGeneTruth(p.index, genes.get(p.gene),
                        p.tfs.stream().map(genes::get).toList(), p.gated));
                for (int tf : p.tfs) {
                    if (rnd.nextDouble() < 0.9) {
                        motifs.add(new Simulation.MotifHit(p.index, genes.get(tf), 0.5 + 0.5 * rnd.nextDouble()));
                    }
                }
            }
            int falseHits = counts.poisson(1.0);
            for (int i = 0; i < falseHits; i++) {
                int tf = rnd.nextInt(nT);
                if (!p.tfs.contains(tf)) {
                    motifs.add(new Simulation.MotifHit(p.index, genes.get(tf), 0.3 + 0.6 * rnd.nextDouble()));
                }
            }
        }
        List<String> cells = new ArrayList<>(nC);
        List<String> cellType = new ArrayList<>(nC);
        int cw = Integer.toString(nC).length();
        for (int c = 0; c < nC; c++) {
            cells.add(String.format("cell%0" + cw + "d", c + 1));
            cellType.add("type" + type[c]);
        }
        List<GenomicInterval> peaks = sorted.stream().map(p -> new GenomicInterval(p.chrom, p.start, p.end)).toList();
        return new Simulation(cfg, cells, cellType, genes, List.of(loci), genes.subList(0, nT), peaks, rna, atac,
                edges, peakGenes, motifs);
    }

    private static boolean[] sampleEnhancer(PeakSpec e, double[][] act, int[] type, SplittableRandom rnd) {
        int nC = type.length;
        boolean[] state = new boolean[nC];
        for (int c = 0; c < nC; c++) {
            double p;
            if (e.typeOpen[type[c]] > 0) {
                double h = 0;
                for (int tf : e.tfs) {
                    h = Math.max(h, act[tf][c]);
                }
                p = 0.35 + 0.6 * h;
            } else {
                p = 0.02;
            }
            state[c] = rnd.nextDouble() < p;
        }
        return state;
    }

    private static void observe(IntList cells, int c, boolean open, double capture, SplittableRandom rnd) {
        double p = open ? capture : 0.003 * capture / 0.35;
        if (rnd.nextDouble() < p) {
            cells.add(c);
        }
    }

    private static double[] hill(double[] l) {
        return hill(l, median(l));
    }

    private static double median(double[] l) {
        double[] sorted = l.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** h(x) = x²/(1+x²) of exp(l − med): 0 for a knocked-out level (l = −∞). */
    private static double[] hill(double[] l, double med) {
        double[] h = new double[l.length];
        for (int c = 0; c < l.length; c++) {
            double x = Math.exp(l[c] - med);
            h[c] = x * x / (1 + x * x);
        }
        return h;
    }

    private static GeneLocus[] placeGenes(List<String> genes, SplittableRandom rnd) {
        int nG = genes.size();
        int nChr = Math.max(2, Math.min(12, nG / 40));
        List<List<Integer>> byChr = new ArrayList<>();
        for (int i = 0; i < nChr; i++) {
            byChr.add(new ArrayList<>());
        }
        for (int g = 0; g < nG; g++) {
            byChr.get(rnd.nextInt(nChr)).add(g);
        }
        GeneLocus[] loci = new GeneLocus[nG];
        for (int ci = 0; ci < nChr; ci++) {
            List<Integer> members = byChr.get(ci);
            // Shuffle so that TFs and targets interleave along the chromosome.
            Sampling.shuffle(members, rnd);
            long cursor = 1_000_000;
            for (int g : members) {
                cursor += 50_000 + (long) (-150_000 * Math.log(1 - rnd.nextDouble()));
                long len = 5_000 + (long) (-20_000 * Math.log(1 - rnd.nextDouble()));
                loci[g] = new GeneLocus(genes.get(g), "chr" + (ci + 1), cursor, cursor + len,
                        rnd.nextBoolean() ? 1 : -1);
                cursor += len;
            }
        }
        return loci;
    }

    private static List<List<Reg>> buildGrn(SimulationConfig cfg, SplittableRandom rnd) {
        int nG = cfg.genes();
        int nT = cfg.tfs();
        int nMaster = Math.max(2, nT / 3);
        // Hub structure: a few TFs regulate many genes (Zipf-like weights over a random TF order).
        double[] hub = new double[nT];
        int[] perm = Sampling.permutation(nT, rnd);
        for (int i = 0; i < nT; i++) {
            hub[perm[i]] = 1.0 / Math.pow(i + 1, 0.7);
        }
        List<List<Reg>> regs = new ArrayList<>();
        for (int g = 0; g < nG; g++) {
            List<Reg> r = new ArrayList<>();
            int candidates;
            int count;
            if (g < nMaster) {
                candidates = 0;
                count = 0;
            } else if (g < nT) {
                candidates = g;
                count = 1 + (rnd.nextDouble() < 0.3 ? 1 : 0);
            } else {
                candidates = nT;
                double u = rnd.nextDouble();
                count = u < 0.15 ? 0 : u < 0.5 ? 1 : u < 0.85 ? 2 : 3;
            }
            List<Integer> chosen = new ArrayList<>();
            for (int i = 0; i < count && chosen.size() < candidates; i++) {
                int tf = weightedPick(hub, candidates, chosen, rnd);
                chosen.add(tf);
                int sign = rnd.nextDouble() < 0.75 ? 1 : -1;
                r.add(new Reg(tf, sign, 0.8 + 1.2 * rnd.nextDouble(), null));
            }
            regs.add(r);
        }
        return regs;
    }

    private static int weightedPick(double[] w, int n, List<Integer> exclude, SplittableRandom rnd) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (!exclude.contains(i)) {
                total += w[i];
            }
        }
        double u = rnd.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (exclude.contains(i)) {
                continue;
            }
            last = i;
            u -= w[i];
            if (u <= 0) {
                return i;
            }
        }
        return last;
    }

    /** Each cell type accessible with probability {@code p}; at least one open and, with 2+ types, one closed. */
    private static double[] typePattern(int k, double p, SplittableRandom rnd) {
        double[] out = new double[k];
        int open = 0;
        for (int i = 0; i < k; i++) {
            out[i] = rnd.nextDouble() < p ? 1 : 0;
            open += (int) out[i];
        }
        if (open == 0) {
            out[rnd.nextInt(k)] = 1;
        } else if (open == k && k > 1) {
            out[rnd.nextInt(k)] = 0;
        }
        return out;
    }

    private static double[] filled(int k, double v) {
        double[] out = new double[k];
        Arrays.fill(out, v);
        return out;
    }

    private static double[] scale(double[] a, double f) {
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i] > 0 ? f : 0.01;
        }
        return a;
    }

    private static long tss(GeneLocus l) {
        return l.strand() > 0 ? l.start() : l.end() - 1;
    }

    private static List<String> chromosomeNames(GeneLocus[] loci) {
        return Arrays.stream(loci).map(GeneLocus::chrom).distinct()
                .sorted(Comparator.comparingInt(MultiomeSimulator::chromOrder)).toList();
    }

    private static long[] chromosomeEnds(GeneLocus[] loci) {
        List<String> names = chromosomeNames(loci);
        long[] end = new long[names.size()];
        for (GeneLocus l : loci) {
            int i = names.indexOf(l.chrom());
            end[i] = Math.max(end[i], l.end() + 1_000_000);
        }
        return end;
    }

    private static int chromOrder(String chrom) {
        return Integer.parseInt(chrom.substring(3));
    }

    private static SparseMatrix sampleCounts(double[][] latent, double[] library, double dropout,
                                             CountSampler counts, SplittableRandom rnd) {
        int nG = latent.length;
        int nC = library.length;
        IntList idx = new IntList();
        FloatList vals = new FloatList();
        long[] ptr = new long[nC + 1];
        double[] w = new double[nG];
        for (int c = 0; c < nC; c++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int g = 0; g < nG; g++) {
                max = Math.max(max, latent[g][c]);
            }
            double sum = 0;
            for (int g = 0; g < nG; g++) {
                w[g] = Math.exp(latent[g][c] - max);
                sum += w[g];
            }
            for (int g = 0; g < nG; g++) {
                double mu = library[c] * w[g] / sum;
                int count = counts.gammaPoisson(mu);
                if (count > 0 && (dropout == 0 || rnd.nextDouble() >= dropout)) {
                    idx.add(g);
                    vals.add(count);
                }
            }
            ptr[c + 1] = idx.size();
        }
        return new SparseMatrix(SparseMatrix.Layout.CSR, nC, nG, DType.FLOAT32, new NumArray.F32(vals.toArray()),
                idx.toArray(), ptr);
    }

    private static SparseMatrix columnsToCsr(IntList[] cols, int nC) {
        int[] count = new int[nC];
        long total = 0;
        for (IntList l : cols) {
            for (int i = 0; i < l.size(); i++) {
                count[l.get(i)]++;
            }
            total += l.size();
        }
        long[] ptr = new long[nC + 1];
        for (int c = 0; c < nC; c++) {
            ptr[c + 1] = ptr[c] + count[c];
        }
        int[] fill = new int[nC];
        int[] idx = new int[Math.toIntExact(total)];
        for (int p = 0; p < cols.length; p++) {
            IntList l = cols[p];
            for (int i = 0; i < l.size(); i++) {
                int c = l.get(i);
                idx[(int) ptr[c] + fill[c]++] = p;
            }
        }
        float[] data = new float[idx.length];
        Arrays.fill(data, 1f);
        return new SparseMatrix(SparseMatrix.Layout.CSR, nC, cols.length, DType.FLOAT32, new NumArray.F32(data),
                idx, ptr);
    }

    private static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class FloatList {
        private float[] a = new float[16];
        private int n;

        void add(float v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}

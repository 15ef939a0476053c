package io.scgrn.models.perturb;

import com.sun.management.OperatingSystemMXBean;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Progress;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Speed and memory benchmark of the perturbation core (not a test): a synthetic log-normalised matrix of
 * {@code cells × genes} (genes/10 TFs; each target on as many random TFs as the default regulators per target,
 * {@code -Dregulators=K} to change, 3 of them real linear effects, 60 % zeros),
 * 4 groups, no embedding (the PCA is computed, as for a file without one), a knock-out of TF 1. Prints wall seconds
 * per phase, process CPU seconds and the peak resident set (VmHWM). Run:
 * {@code java -Xmx8g -cp <graph-models test class path> io.scgrn.models.perturb.PerturbScale [cells] [genes]}.
 */
public final class PerturbScale {
    private PerturbScale() {
    }

    public static void main(String[] args) throws IOException {
        int nC = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int nG = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int nT = nG / 10;
        SplittableRandom rnd = new SplittableRandom(1);
        List<String> genes = new ArrayList<>();
        for (int g = 0; g < nG; g++) {
            genes.add(g < nT ? "TF" + g : "G" + g);
        }
        List<Edge> edges = new ArrayList<>();
        int[][] regs = new int[nG][];
        double[][] w = new double[nG][];
        int perTarget = Integer.getInteger("regulators", PerturbOptions.defaults().maxRegulators());
        for (int g = 1; g < nG; g++) {
            int k = Math.min(perTarget, g < nT ? g : nT);
            regs[g] = new int[k];
            w[g] = new double[k];
            for (int i = 0; i < k; i++) {
                regs[g][i] = rnd.nextInt(g < nT ? g : nT);
                w[g][i] = i < 3 ? 0.3 * rnd.nextGaussian() : 0;
                edges.add(new Edge(genes.get(regs[g][i]), genes.get(g), 1.0 / (1 + i), 1, Double.NaN));
            }
        }
        float[] x = new float[nC * nG];
        int[] groupOf = new int[nC];
        double[] row = new double[nG];
        for (int c = 0; c < nC; c++) {
            groupOf[c] = rnd.nextInt(4);
            for (int g = 0; g < nG; g++) {
                double v = 1 + 0.3 * groupOf[c] * ((g % 7) - 3) / 3.0 + 0.5 * rnd.nextGaussian();
                if (regs[g] != null) {
                    for (int i = 0; i < regs[g].length; i++) {
                        v += w[g][i] * row[regs[g][i]];
                    }
                }
                row[g] = v;
                x[c * nG + g] = rnd.nextDouble() < 0.6 ? 0f : (float) Math.max(0, v);
            }
        }
        ExpressionMatrix m = new ExpressionMatrix(x, cellNames(nC), genes);
        System.gc();
        Map<String, Long> phases = new LinkedHashMap<>();
        long[] start = {System.nanoTime()};
        String[] current = {"setup"};
        Progress timer = new Progress() {
            @Override
            public void phase(String name) {
                long now = System.nanoTime();
                phases.merge(current[0], now - start[0], Long::sum);
                current[0] = name;
                start[0] = now;
            }
        };
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        timer.phase("fit");
        InSilicoPerturbation.Result r = InSilicoPerturbation.run(new InSilicoPerturbation.Input(m, groupOf,
                List.of("g0", "g1", "g2", "g3"), edges, null, null, List.of(Perturbation.ko("TF1"))),
                PerturbOptions.defaults().withPoolingRule(System.getProperty("poolingRule",
                        PerturbOptions.defaults().poolingRule()))
                        .withSteps(Integer.getInteger("steps", PerturbOptions.STEPS))
                        .withStability(Double.parseDouble(System.getProperty("stability", "NaN")))
                        .withTotalEffect(Double.parseDouble(System.getProperty("totalEffect", "" + PerturbOptions.TOTAL_EFFECT)),
                                Integer.getInteger("adjustParents", PerturbOptions.ADJUST_PARENTS))
                        .withRankWeight(Double.parseDouble(System.getProperty("rankWeight",
                                "" + PerturbOptions.RANK_WEIGHT)))
                        .withResponseTest(Double.parseDouble(System.getProperty("responseQ",
                                        "" + PerturbOptions.RESPONSE_Q)),
                                Double.parseDouble(System.getProperty("responseShrink",
                                        "" + PerturbOptions.RESPONSE_SHRINK)))
                        .withBetween(Double.parseDouble(System.getProperty("fitBetween",
                                        "" + PerturbOptions.FIT_BETWEEN)),
                                Double.parseDouble(System.getProperty("totalBetween",
                                        "" + PerturbOptions.TOTAL_BETWEEN))), timer);
        timer.phase("end");
        phases.remove("setup");
        long wall = System.nanoTime() - t0;
        System.out.printf(Locale.ROOT, "%d cells x %d genes, %d edges, %d arrows%n", nC, nG, edges.size(),
                r.arrows().size());
        phases.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-12s %.1f s%n", k, v / 1e9));
        System.out.printf(Locale.ROOT, "total %.1f s wall, %.1f s process CPU; peak RSS %s%n", wall / 1e9,
                (cpu() - cpu0) / 1e9, vmHwm());
    }

    private static List<String> cellNames(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add("c" + i);
        }
        return out;
    }

    private static long cpu() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String vmHwm() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM")) {
                return l.substring(6).trim();
            }
        }
        return "?";
    }
}

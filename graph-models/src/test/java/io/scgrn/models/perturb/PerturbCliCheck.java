package io.scgrn.models.perturb;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.Matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.scgrn.models.numerics.ReferenceStatistics.pearson;

/**
 * Scores a {@code scgrn perturb} run through the CLI the way {@link PerturbBenchmark} scores the harness (not a
 * test): the truth is the per-gene change of mean log-normalised expression between {@code scgrn simulate --perturb}'s
 * counterfactual.h5ad and the original RNA (each normalised with its own library sizes to the original's median
 * library size, as the harness does); the prediction is genes.tsv's {@code mean_delta}; the knocked-out TF is left
 * out; naive = each gene's Pearson r with the TF over all cells × the TF's true mean change. Genes that the perturb
 * output lacks (not in the network) count as predicted 0, as the harness's delta has them.
 * Run: {@code java -cp <graph-models test class path> io.scgrn.models.perturb.PerturbCliCheck data.h5mu
 * counterfactual.h5ad perturb-dir/genes.tsv TF}.
 */
public final class PerturbCliCheck {
    private PerturbCliCheck() {
    }

    public static void main(String[] args) throws IOException {
        AnnData orig = AnnDataFiles.readH5mu(Path.of(args[0])).mod().get("rna");
        AnnData cf = AnnDataFiles.readH5ad(Path.of(args[1]));
        String tf = args[3];
        List<String> genes = orig.var().index();
        if (!genes.equals(cf.var().index()) || !orig.obs().index().equals(cf.obs().index())) {
            throw new IllegalStateException("the counterfactual's cells or genes differ from the original's");
        }
        int nC = orig.nObs();
        int nG = genes.size();
        double[] libO = lib(orig.x(), nC, nG);
        double[] libC = lib(cf.x(), nC, nG);
        double target = PerturbBenchmark.median(Arrays.stream(libO).boxed().toList());
        Map<String, Double> predicted = new HashMap<>();
        List<String> lines = Files.readAllLines(Path.of(args[2]));
        List<String> header = List.of(lines.get(0).split("\t"));
        int col = header.indexOf("mean_delta");
        for (String l : lines.subList(1, lines.size())) {
            String[] s = l.split("\t");
            predicted.put(s[0], Double.parseDouble(s[col]));
        }
        int t = genes.indexOf(tf);
        double[] tfCol = new double[nC];
        double tfChange = 0;
        for (int c = 0; c < nC; c++) {
            tfCol[c] = Math.log1p(orig.x().get(c, t) / libO[c] * target);
            tfChange += Math.log1p(cf.x().get(c, t) / libC[c] * target) - tfCol[c];
        }
        tfChange /= nC;
        List<Double> pred = new ArrayList<>();
        List<Double> truth = new ArrayList<>();
        List<Double> naive = new ArrayList<>();
        int missing = 0;
        for (int g = 0; g < nG; g++) {
            if (g == t) {
                continue;
            }
            double[] xo = new double[nC];
            double tr = 0;
            for (int c = 0; c < nC; c++) {
                xo[c] = Math.log1p(orig.x().get(c, g) / libO[c] * target);
                tr += Math.log1p(cf.x().get(c, g) / libC[c] * target) - xo[c];
            }
            Double p = predicted.get(genes.get(g));
            missing += p == null ? 1 : 0;
            pred.add(p == null ? 0 : p);
            truth.add(tr / nC);
            naive.add(pearson(xo, tfCol) * tfChange);
        }
        double r = pearson(arr(pred), arr(truth));
        double rn = pearson(arr(naive), arr(truth));
        System.out.printf(Locale.ROOT, "%s: r %.3f, naive r %.3f, ratio %.2f (%d genes, %d not in genes.tsv)%n", tf, r,
                rn, r / rn, pred.size(), missing);
    }

    private static double[] lib(Matrix m, int nC, int nG) {
        double[] out = new double[nC];
        for (int c = 0; c < nC; c++) {
            for (int g = 0; g < nG; g++) {
                out[c] += m.get(c, g);
            }
        }
        return out;
    }

    private static double[] arr(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}

package io.scgrn.models.sim;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.MuData;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.atac.GeneLocus;
import io.scgrn.models.atac.GenomicInterval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A simulated multiome dataset with its ground truth.
 *
 * @param config        what produced it
 * @param cells         cell names
 * @param cellType      cell type of each cell
 * @param genes         gene names (TFs first)
 * @param loci          position of each gene, aligned with {@code genes}
 * @param tfs           the TF names
 * @param peaks         peak intervals
 * @param rna           cells × genes counts, CSR (float32 integers)
 * @param atac          cells × peaks binary accessibility, CSR (float32 ones)
 * @param edges         true TF → target edges
 * @param peakGenes     true enhancer → gene links with the TFs acting through them
 * @param motifs        simulated motif-scan hits (peak, TF, score): most true bindings plus false hits
 */
public record Simulation(SimulationConfig config, List<String> cells, List<String> cellType, List<String> genes,
                         List<GeneLocus> loci, List<String> tfs, List<GenomicInterval> peaks, SparseMatrix rna,
                         SparseMatrix atac, List<TrueEdge> edges, List<PeakGeneTruth> peakGenes,
                         List<MotifHit> motifs) {

    /** One regulatory edge: sign +1 activation, -1 repression; {@code gated} when its enhancer is cell-type-specific. */
    public record TrueEdge(String tf, String target, int sign, double weight, int peak, boolean gated) {
    }

    /** An enhancer and the gene it regulates, with the TFs that bind it. */
    public record PeakGeneTruth(int peak, String gene, List<String> tfs, boolean gated) {
    }

    /** A motif-scan hit. */
    public record MotifHit(int peak, String tf, double score) {
    }

    /** Peak names as written to the file: {@code chr:start-end}. */
    public List<String> peakNames() {
        return peaks.stream().map(GenomicInterval::toString).toList();
    }

    /**
     * The dataset as a MuData with modalities {@code rna} and {@code atac}: shared cells, obs {@code cell_type}
     * (categorical), RNA var with chrom/start/end/strand and {@code interval}, ATAC var with {@code interval}
     * and feature_types "Peaks".
     */
    public MuData toMuData() {
        List<String> types = cellType.stream().distinct().sorted().toList();
        int[] codes = cellType.stream().mapToInt(types::indexOf).toArray();
        Column ct = new Column.Categorical("cell_type", codes, types, false, DType.STRING, "categorical");
        DataFrame obs = new DataFrame("_index", cells, List.of(ct));

        int g = genes.size();
        String[] chrom = new String[g];
        double[] start = new double[g];
        double[] end = new double[g];
        String[] strand = new String[g];
        String[] interval = new String[g];
        for (int i = 0; i < g; i++) {
            GeneLocus l = loci.get(i);
            chrom[i] = l.chrom();
            start[i] = l.start();
            end[i] = l.end();
            strand[i] = l.strand() > 0 ? "+" : "-";
            interval[i] = l.chrom() + ":" + l.start() + "-" + l.end();
        }
        DataFrame rnaVar = new DataFrame("_index", genes, List.of(
                new Column.Strings("chrom", chrom, "string-array"),
                new Column.Numeric("start", DType.INT64, new NumArray.F64(start), null, "array"),
                new Column.Numeric("end", DType.INT64, new NumArray.F64(end), null, "array"),
                new Column.Strings("strand", strand, "string-array"),
                new Column.Strings("interval", interval, "string-array"),
                new Column.Categorical("feature_types", new int[g], List.of("Gene Expression"), false, DType.STRING,
                        "categorical")));
        List<String> pnames = peakNames();
        DataFrame atacVar = new DataFrame("_index", pnames, List.of(
                new Column.Strings("interval", pnames.toArray(String[]::new), "string-array"),
                new Column.Categorical("feature_types", new int[pnames.size()], List.of("Peaks"), false,
                        DType.STRING, "categorical")));
        AnnData rnaAd = new AnnData(null, "/mod/rna", obs, rnaVar, rna, Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), Map.of(), null);
        AnnData atacAd = new AnnData(null, "/mod/atac", obs, atacVar, atac, Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), Map.of(), null);
        LinkedHashMap<String, AnnData> mod = new LinkedHashMap<>();
        mod.put("rna", rnaAd);
        mod.put("atac", atacAd);
        List<String> allVars = new ArrayList<>(genes);
        allVars.addAll(pnames);
        return new MuData(null, 0, obs, DataFrame.empty(allVars), mod, Map.of(), "h5mu");
    }

    /**
     * Writes the truth next to the data: {@code truth.csv} (Gene1,Gene2 = TF,target, BEELINE style),
     * {@code peak_gene_truth.tsv}, {@code tfs.txt}, {@code genes.bed} (BED6 gene bodies with strand) and
     * {@code motifs.tsv} (peak, tf, score — a simulated motif scan with false hits).
     */
    public void writeTruth(Path dir) {
        try {
            Files.createDirectories(dir);
            write(dir.resolve("truth.csv"), w -> {
                w.write("Gene1,Gene2,Type\n");
                for (TrueEdge e : edges) {
                    w.write(e.tf() + "," + e.target() + "," + (e.sign() > 0 ? "+" : "-") + "\n");
                }
            });
            write(dir.resolve("peak_gene_truth.tsv"), w -> {
                w.write("peak\tgene\ttfs\tgated\n");
                for (PeakGeneTruth p : peakGenes) {
                    w.write(peaks.get(p.peak()) + "\t" + p.gene() + "\t" + String.join(",", p.tfs()) + "\t"
                            + p.gated() + "\n");
                }
            });
            write(dir.resolve("tfs.txt"), w -> {
                for (String t : tfs) {
                    w.write(t + "\n");
                }
            });
            write(dir.resolve("genes.bed"), w -> {
                for (GeneLocus l : loci) {
                    w.write(l.chrom() + "\t" + l.start() + "\t" + l.end() + "\t" + l.gene() + "\t0\t"
                            + (l.strand() > 0 ? "+" : "-") + "\n");
                }
            });
            write(dir.resolve("motifs.tsv"), w -> {
                w.write("peak\ttf\tscore\n");
                for (MotifHit m : motifs) {
                    w.write(peaks.get(m.peak()) + "\t" + m.tf() + "\t" + String.format(Locale.ROOT,
                            "%.4f", m.score()) + "\n");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Body {
        void accept(Writer w) throws IOException;
    }

    /** Writes a temp file and renames it, so a crash leaves no half-written truth file. */
    private static void write(Path file, Body body) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            body.accept(w);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}

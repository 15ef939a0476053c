package io.scgrn.app.run;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.H5adWriter;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.MuData;
import io.scgrn.anndata.VarNames;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.app.errors.InputFileException;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.perturb.InSilicoPerturbation;
import io.scgrn.models.perturb.Perturbation;
import io.scgrn.models.perturb.PerturbMatrix;
import io.scgrn.models.perturb.PerturbOptions;
import io.scgrn.models.perturb.TransitionField;
import io.scgrn.models.table.TextNumbers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scgrn perturb}: one file + one network → predicted shifts of a perturbation, written all-or-nothing.
 *
 * <p>Bad input, decided here once for the CLI (exit code) and the server (HTTP status):
 * <ul>
 *   <li>a perturbed gene that is not a regulator in the network (no edge to a gene in the file), or that has no
 *   target among the kept regulators: {@link BadRequestException} (exit 2 / 400);</li>
 *   <li>a {@code --set} level outside the gene's observed range (min..max over the cells, log-normalised units):
 *   refused, {@link BadRequestException} — the linear models are only fitted inside that range and would
 *   extrapolate (a knock-out, level 0, is always allowed);</li>
 *   <li>an obsm key given with {@code --embedding} that is absent or not n × ≥2: {@link BadRequestException};
 *   without {@code --embedding} and without any 2-D embedding in the file, a PCA of the network genes is computed
 *   (and said so in the manifest and the CLI summary);</li>
 *   <li>a missing or unreadable network (no network.tsv in the folder, bad header): {@link InputFileException}
 *   (exit 4 / 400);</li>
 *   <li>a perturbed gene absent from the file or zero in every cell ("not expressed"), fewer than half of the
 *   network's genes in the file (a network from another dataset), an unknown {@code --groupby} column:
 *   {@link ModelException} (exit 5 / 422).</li>
 * </ul>
 */
public final class PerturbPipeline {
    /** Embeddings tried, in order, when none is named. */
    public static final List<String> EMBEDDINGS = List.of("X_umap", "X_tsne", "X_draw_graph_fa", "X_pca");
    public static final String H5AD = "perturb.h5ad";
    public static final String GENES = "genes.tsv";
    public static final String GROUPS = "groups.tsv";
    public static final String ARROWS = "arrows.tsv";
    public static final String CELLS = "cells.tsv";
    public static final String MANIFEST = "manifest.json";
    private static final Logger LOG = LoggerFactory.getLogger(PerturbPipeline.class);

    /**
     * What came out.
     *
     * @param outDir        final output folder
     * @param files         name → final path
     * @param nCells        cells
     * @param nGenes        network genes found in the file
     * @param groups        per-group summaries
     * @param topGenes      the genes that shift most (mean |δ|), perturbed genes excluded, best first (≤ 10)
     * @param embeddingName the embedding used
     * @param seconds       wall time
     */
    public record Result(Path outDir, Map<String, Path> files, int nCells, int nGenes,
                         List<InSilicoPerturbation.GroupSummary> groups, List<InSilicoPerturbation.GeneSummary> topGenes,
                         String embeddingName, double seconds) {
    }

    /** Runs the request; progress phases: read, fit, propagate, transitions, write. */
    public Result execute(PerturbRequest r, Progress progress) {
        long t0 = System.nanoTime();
        Path in = r.input();
        if (!Files.isRegularFile(in)) {
            throw new AnnDataException(in, null, Files.exists(in) ? "not a regular file" : "no such file");
        }
        PerturbOptions opts;
        try {
            opts = PerturbOptions.defaults().withSteps(r.steps()).withMaxRegulators(r.maxRegulators())
                    .withNeighbours(r.neighbours()).withSeed(r.seed());
        } catch (ModelException e) {
            throw new BadRequestException(e.field(), e.getMessage().substring(e.field().length() + 2));
        }
        if (r.perturbations().isEmpty()) {
            throw new BadRequestException("ko", "give at least one --ko TF or --set TF=VALUE");
        }
        List<Edge> edges = readNetwork(r.network());
        progress.phase("read");
        // the file's matrices (every modality as read) are reachable only inside load(): at 100k cells they
        // were 1.8 GB held through the whole run, for a model that needs the prepared matrix alone
        Loaded loaded = load(r, in, edges, opts);
        ExpressionMatrix x = loaded.x();
        int[] groupOf = loaded.groupOf();
        List<String> groups = loaded.groups();
        PerturbMatrix.Prepared prep = loaded.prep();

        InSilicoPerturbation.Result res = InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, groupOf, groups,
                edges, loaded.embedding(), loaded.embeddingName(), r.perturbations()), opts, progress);

        progress.phase("write");
        Path outDir = r.outDir() != null ? r.outDir() : Path.of("scgrn-out", stem(in),
                "perturb-" + r.label().replaceAll("[^A-Za-z0-9._=+-]+", "_"));
        Map<String, Path> files;
        try (OutputStage stage = new OutputStage(outDir)) {
            writeH5ad(stage.file(H5AD), loaded.obs(), x, res, r);
            writeGenes(stage.file(GENES), res, groups);
            writeGroups(stage.file(GROUPS), res);
            writeArrows(stage.file(ARROWS), res);
            writeCells(stage.file(CELLS), x, res, groupOf, groups);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("scgrn_version", Versions.scgrn());
            manifest.put("command", "perturb");
            manifest.put("input", in.toAbsolutePath().toString());
            manifest.put("network", r.network().toAbsolutePath().toString());
            manifest.put("perturbations", r.perturbations().stream().map(Perturbation::label).toList());
            manifest.put("groupby", r.groupby());
            manifest.put("groups", groups);
            manifest.put("matrix", loaded.field());
            manifest.put("normalized", prep.normalized());
            manifest.put("cells", x.nCells());
            manifest.put("genes", x.nGenes());
            manifest.put("edges_used", res.models().edgeReg().length);
            manifest.put("embedding", res.embeddingName());
            manifest.put("steps", opts.steps());
            manifest.put("max_regulators", opts.maxRegulators());
            manifest.put("neighbours", opts.neighbours());
            manifest.put("sigma", opts.sigma());
            manifest.put("ridge", "GCV per target");
            manifest.put("regression", opts.regression());
            manifest.put("pooling", opts.pooling());
            manifest.put("pooling_rule", opts.poolingRule());
            manifest.put("fit_neighbours", opts.fitNeighbours());
            manifest.put("total_effect", opts.totalEffect());
            manifest.put("adjust_parents", opts.adjustParents());
            manifest.put("rank_weight", opts.rankWeight());
            manifest.put("arrows", opts.arrows());
            manifest.put("seed", opts.seed());
            manifest.put("seconds", (System.nanoTime() - t0) / 1e9);
            Manifest.write(stage.file(MANIFEST), manifest);
            files = stage.finalPaths();
            stage.commit(MANIFEST);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outDir + ": " + e.getMessage(), e);
        }
        Set<String> perturbed = new HashSet<>();
        r.perturbations().forEach(p -> perturbed.add(p.gene()));
        List<InSilicoPerturbation.GeneSummary> top = res.genes().stream().filter(g -> !perturbed.contains(g.gene()))
                .sorted((a, b) -> Double.compare(b.meanAbsDelta(), a.meanAbsDelta())).limit(10).toList();
        return new Result(outDir.toAbsolutePath().normalize(), files, x.nCells(), x.nGenes(), res.groupSummaries(),
                top, res.embeddingName(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * What the run needs from the file: the prepared matrix of the network's genes, the groups, the embedding and
     * obs (for the output .h5ad).
     */
    private record Loaded(PerturbMatrix.Prepared prep, String field, DataFrame obs, int[] groupOf,
                          List<String> groups, double[] embedding, String embeddingName) {
        ExpressionMatrix x() {
            return prep.matrix();
        }
    }

    private static Loaded load(PerturbRequest r, Path in, List<Edge> edges, PerturbOptions opts) {
        MuData md = AnnDataFiles.readAny(in);
        AnnData data = md.mod().get(expressionModality(md, r));
        Matrix m;
        List<String> names;
        String field;
        if (r.layer() == null || r.layer().isEmpty() || r.layer().equals("X")) {
            m = data.x();
            names = VarNames.of(data.var()).names();
            field = "X";
        } else if (r.layer().equals("raw")) {
            m = data.raw() == null ? null : data.raw().x();
            names = data.raw() == null ? List.of() : VarNames.of(data.raw().var()).names();
            field = "raw/X";
        } else {
            m = data.layers().get(r.layer());
            names = VarNames.of(data.var()).names();
            field = "layers/" + r.layer();
        }
        if (m == null) {
            throw new ModelException("layer", in + " has no " + field + " (layers: "
                    + String.join(", ", data.layers().keySet()) + ")");
        }
        Set<String> netGenes = new LinkedHashSet<>();
        for (Edge e : edges) {
            netGenes.add(e.tf());
            netGenes.add(e.target());
        }
        Set<String> fileGenes = new HashSet<>(names);
        long found = netGenes.stream().filter(fileGenes::contains).count();
        if (found * 2 < netGenes.size()) {
            throw new ModelException("network", "only " + found + " of the network's " + netGenes.size()
                    + " genes are in " + in.getFileName() + " (" + field + "): is the network from another dataset?");
        }
        PerturbMatrix.Prepared prep = PerturbMatrix.of(m, names, data.obs().index(), new ArrayList<>(netGenes), field);
        ExpressionMatrix x = prep.matrix();
        checkPerturbations(r, x, edges, opts, in);

        // groups
        List<String> groups = new ArrayList<>();
        int[] groupOf = new int[x.nCells()];
        if (r.groupby() == null || r.groupby().isEmpty()) {
            groups.add("all");
        } else {
            Column col = data.obs().column(r.groupby()).orElseThrow(() -> new ModelException("groupby", "no obs "
                    + "column '" + r.groupby() + "' in " + in.getFileName() + "; available: " + (data.obs().columns()
                    .isEmpty() ? "none" : String.join(", ", data.obs().columns().stream().map(Column::name)
                    .toList()))));
            String[] labels = labels(col);
            Map<String, Integer> index = new LinkedHashMap<>();
            if (col instanceof Column.Categorical c) {
                c.categories().forEach(cat -> index.put(cat, index.size()));
            }
            for (int i = 0; i < labels.length; i++) {
                groupOf[i] = labels[i] == null ? -1 : index.computeIfAbsent(labels[i], k -> index.size());
            }
            groups.addAll(index.keySet());
        }

        // embedding
        double[] emb = null;
        String embName = null;
        if (r.embedding() != null) {
            Matrix e = data.obsm().get(r.embedding());
            if (e == null || e.nRows() != x.nCells() || e.nCols() < 2) {
                throw new BadRequestException("embedding", "no 2-D embedding '" + r.embedding() + "' in obsm of "
                        + in.getFileName() + "; available: " + (data.obsm().isEmpty() ? "none"
                        : String.join(", ", data.obsm().keySet())));
            }
            emb = firstTwo(e);
            embName = r.embedding();
        } else {
            for (String k : EMBEDDINGS) {
                Matrix e = data.obsm().get(k);
                if (e != null && e.nRows() == x.nCells() && e.nCols() >= 2) {
                    emb = firstTwo(e);
                    embName = k;
                    break;
                }
            }
        }
        return new Loaded(prep, field, data.obs(), groupOf, groups, emb, embName);
    }

    /** The network's edges from an infer output folder (network.tsv) or a TSV file. */
    static List<Edge> readNetwork(Path network) {
        Path file = Files.isDirectory(network) ? network.resolve(InferPipeline.NETWORK_TSV) : network;
        if (!Files.isRegularFile(file)) {
            throw new InputFileException(file, Files.isDirectory(network) ? "no network.tsv in this folder (run "
                    + "scgrn infer first, or give the network TSV)" : "no such file");
        }
        List<Edge> edges;
        try {
            edges = Evaluation.readPredictions(file);
        } catch (ModelException e) {
            throw new InputFileException(file, e.getMessage().substring(e.field().length() + 2), e);
        }
        if (edges.isEmpty()) {
            throw new InputFileException(file, "the network has no edges");
        }
        return edges;
    }

    private static void checkPerturbations(PerturbRequest r, ExpressionMatrix x, List<Edge> edges, PerturbOptions o,
                                           Path in) {
        Set<String> regulators = new LinkedHashSet<>();
        edges.forEach(e -> regulators.add(e.tf()));
        int[][] regs = InSilicoPerturbation.regulators(edges, x.genes(), o.maxRegulators());
        Set<String> seen = new HashSet<>();
        for (Perturbation p : r.perturbations()) {
            String opt = p.knockOut() ? "ko" : "set";
            if (!seen.add(p.gene())) {
                throw new BadRequestException(opt, p.gene() + " is perturbed twice");
            }
            if (!regulators.contains(p.gene())) {
                throw new BadRequestException(opt, p.gene() + " is not a regulator in the network " + r.network()
                        + " (regulators include " + String.join(", ", regulators.stream().limit(8).toList())
                        + (regulators.size() > 8 ? ", …" : "") + ")");
            }
            int g = x.genes().indexOf(p.gene());
            if (g < 0) {
                throw new ModelException("genes", p.gene() + " is not in " + in.getFileName()
                        + ": cannot perturb a gene the cells do not measure");
            }
            float[] col = x.geneColumn(g);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : col) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (max <= 0) {
                throw new ModelException("genes", p.gene() + " is not expressed in " + in.getFileName()
                        + " (0 in every cell): there is nothing to learn its effect from");
            }
            if (!p.knockOut() && (p.value() < min || p.value() > max)) {
                throw new BadRequestException("set", String.format(Locale.ROOT, "%s=%s is outside %s's observed "
                        + "range %.3g..%.3g (log-normalised); the models would extrapolate", p.gene(),
                        fmt(p.value()), p.gene(), min, max));
            }
            boolean hasTarget = false;
            for (int[] rr : regs) {
                for (int v : rr) {
                    hasTarget |= v == g;
                }
            }
            if (!hasTarget) {
                throw new BadRequestException(opt, p.gene() + " regulates no gene of the file among each target's "
                        + o.maxRegulators() + " best regulators (raise --max-regulators)");
            }
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static String stem(Path in) {
        String n = in.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String expressionModality(MuData md, PerturbRequest r) {
        return InferPipeline.expressionModality(md, r.input(), r.rnaMod());
    }

    private static double[] firstTwo(Matrix e) {
        int n = e.nRows();
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = e.get(i, 0);
            out[2 * i + 1] = e.get(i, 1);
        }
        return out;
    }

    private static String[] labels(Column col) {
        int n = col.length();
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            if (col instanceof Column.Categorical c) {
                out[i] = c.label(i);
            } else if (col instanceof Column.Strings s) {
                out[i] = s.values()[i];
            } else if (col instanceof Column.Bool b) {
                out[i] = b.valid() != null && !b.valid()[i] ? null : String.valueOf(b.values()[i]);
            } else if (col instanceof Column.Numeric num) {
                double v = num.values().get(i);
                boolean na = (num.valid() != null && !num.valid()[i]) || Double.isNaN(v);
                out[i] = na ? null : v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
            }
        }
        return out;
    }

    private static void writeH5ad(Path file, DataFrame cellsObs, ExpressionMatrix x, InSilicoPerturbation.Result res,
                                  PerturbRequest r) {
        List<Column> obsCols = new ArrayList<>();
        for (Column c : cellsObs.columns()) {
            boolean nullable = c instanceof Column.Numeric n && n.valid() != null
                    || c instanceof Column.Bool b && b.valid() != null;
            if (!nullable) {
                obsCols.add(c);
            } else {
                LOG.info("{}: obs column {} not carried over", H5AD, c.name());
            }
        }
        DataFrame obs = new DataFrame(cellsObs.indexName(), cellsObs.index(), obsCols);
        List<String> roles = res.genes().stream().map(InSilicoPerturbation.GeneSummary::role).toList();
        List<String> roleCats = roles.stream().distinct().sorted().toList();
        Column role = new Column.Categorical("perturb_role", roles.stream().mapToInt(roleCats::indexOf).toArray(),
                roleCats, false, DType.STRING, "categorical");
        DataFrame var = new DataFrame("_index", x.genes(), List.of(role));
        H5adWriter w = H5adWriter.of(obs, var);
        int n = x.nCells();
        int g = x.nGenes();
        w.x(DenseMatrix.ofFloats(n, g, x.values()));
        w.layer("delta_X", DenseMatrix.ofFloats(n, g, res.delta()));
        String embKey = res.pcaLoadings() != null ? "X_pca" : res.embeddingName();
        w.obsm(embKey, DenseMatrix.ofDoubles(n, 2, res.embedding()));
        w.obsm("X_perturb_vectors", DenseMatrix.ofDoubles(n, 2, res.vectors()));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("perturbations", r.perturbations().stream().map(Perturbation::label).toList());
        meta.put("embedding", embKey);
        meta.put("steps", (long) r.steps());
        meta.put("scgrn_version", Versions.scgrn());
        w.uns("perturbation", meta);
        w.write(file);
    }

    private static void writeGenes(Path file, InSilicoPerturbation.Result res, List<String> groups)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("gene\trole\tmean_x\tmean_delta\tmean_abs_delta\tlog2fc");
            for (String gr : groups) {
                w.write("\tdelta:" + gr);
            }
            w.write("\n");
            List<InSilicoPerturbation.GeneSummary> sorted = new ArrayList<>(res.genes());
            sorted.sort((a, b) -> Double.compare(b.meanAbsDelta(), a.meanAbsDelta()));
            for (InSilicoPerturbation.GeneSummary s : sorted) {
                w.write(String.format(Locale.ROOT, "%s\t%s\t%.6g\t%.6g\t%.6g\t%.6g", s.gene(), s.role(), s.meanX(),
                        s.meanDelta(), s.meanAbsDelta(), s.log2fc()));
                for (double d : s.groupMeanDelta()) {
                    w.write(String.format(Locale.ROOT, "\t%.6g", d));
                }
                w.write("\n");
            }
        }
    }

    private static void writeGroups(Path file, InSilicoPerturbation.Result res) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("group\tcells\tmean_shift\tmean_dx\tmean_dy\tmean_speed\tto_group\tto_flow\tstay_flow\n");
            for (InSilicoPerturbation.GroupSummary s : res.groupSummaries()) {
                w.write(String.format(Locale.ROOT, "%s\t%d\t%.6g\t%.6g\t%.6g\t%.6g\t%s\t%.6g\t%.6g%n", s.group(),
                        s.cells(), s.meanShift(), s.meanDx(), s.meanDy(), s.meanSpeed(), s.toGroup(), s.toFlow(),
                        s.stayFlow()));
            }
        }
    }

    private static void writeArrows(Path file, InSilicoPerturbation.Result res) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("x\ty\tdx\tdy\tmass\n");
            for (TransitionField.Arrow a : res.arrows()) {
                w.write(String.format(Locale.ROOT, "%.6g\t%.6g\t%.6g\t%.6g\t%.4g%n", a.x(), a.y(), a.dx(), a.dy(),
                        a.mass()));
            }
        }
    }

    private static void writeCells(Path file, ExpressionMatrix x, InSilicoPerturbation.Result res, int[] groupOf,
                                   List<String> groups) throws IOException {
        int nG = x.nGenes();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("cell\tgroup\tx\ty\tdx\tdy\tshift\n");
            for (int c = 0; c < x.nCells(); c++) {
                double ss = 0;
                for (int g = 0; g < nG; g++) {
                    double d = res.delta()[c * nG + g];
                    ss += d * d;
                }
                // one line per cell: the numbers as "%.6g" writes them, without a Formatter per line
                w.write(x.cells().get(c) + "\t" + (groupOf[c] < 0 ? "" : groups.get(groupOf[c])) + "\t"
                        + TextNumbers.g6(res.embedding()[2 * c]) + "\t" + TextNumbers.g6(res.embedding()[2 * c + 1])
                        + "\t" + TextNumbers.g6(res.vectors()[2 * c]) + "\t"
                        + TextNumbers.g6(res.vectors()[2 * c + 1]) + "\t" + TextNumbers.g6(Math.sqrt(ss))
                        + System.lineSeparator());
            }
        }
    }
}

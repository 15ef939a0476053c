package io.scgrn.app.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.MuData;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.app.errors.DeviceUnavailableException;
import io.scgrn.app.errors.InputFileException;
import io.scgrn.app.errors.InsufficientMemoryException;
import io.scgrn.app.run.atac.AtacOptions;
import io.scgrn.app.run.atac.AtacStep;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.atac.MultiomeInputs;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.Tasks;
import io.scgrn.models.calibration.DecoyCalibration;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.nn.LinkPrediction;
import io.scgrn.models.prep.GroupedData;
import io.scgrn.models.prep.PrepOptions;
import io.scgrn.models.prep.PreparedData;
import io.scgrn.models.prep.Preparation;
import io.scgrn.models.prep.StreamingPreparation;
import io.scgrn.models.prep.TfLists;
import io.scgrn.models.regulon.AUCell;
import io.scgrn.models.regulon.NetworkDiff;
import io.scgrn.models.regulon.Regulon;
import io.scgrn.models.regulon.RegulonActivity;
import io.scgrn.models.regulon.Regulons;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one inference code path: read → prepare → infer → regulons → write, used by {@code scgrn infer}, the server's
 * jobs and {@code scgrn batch}. Outputs are written into a temporary folder inside the output folder and moved into
 * place at the end (the manifest last), so a failed or cancelled run leaves no partial output.
 *
 * <p>Outputs in the output folder: {@value #NETWORK_TSV}, {@value #NETWORK_ARROW}, {@value #REGULONS_TSV},
 * {@value #RESULT_H5AD} (unless disabled), {@value #MANIFEST}; with a groupby column also
 * {@code groups/<group>/network.tsv} per category and {@value #NETWORK_DIFF}.
 *
 * <p>Failures: {@link AnnDataException} (input unreadable or invalid, including side files: exit code 4),
 * {@link ModelException} (data unsuitable: 5), {@link BadRequestException} (bad request: 2),
 * {@link CancellationException} (progress cancelled: 130), {@link UncheckedIOException} (cannot write outputs).
 */
public final class InferPipeline {
    public static final String NETWORK_TSV = "network.tsv";
    public static final String NETWORK_ARROW = "network.arrow";
    public static final String REGULONS_TSV = "regulons.tsv";
    public static final String RESULT_H5AD = "result.h5ad";
    public static final String MANIFEST = "manifest.json";
    public static final String NETWORK_DIFF = "network_diff.tsv";
    public static final String GROUPS_DIR = "groups";
    /** With train edges: every held-out pair (validation and test) with its score and whether it is known. */
    public static final String HELD_OUT_TSV = "held_out.tsv";

    private static final Logger LOG = LoggerFactory.getLogger(InferPipeline.class);
    /** Models whose work runs on a DJL device; the others are plain Java on the CPU. */
    private static final String DJL_MODEL_PACKAGE = "io.scgrn.models.nn";
    /** AUCell's share of the gene ranking (pySCENIC's default). */
    static final double AUC_MAX_RANK = 0.05;
    /**
     * Most groups a {@code --groupby} column may have: each group is one more inference, and the differential
     * network compares every pair. A numeric column with a value per cell is a mistake, not a grouping.
     */
    public static final int MAX_GROUPS = 64;
    /** Distinct values counted at most when a groupby column is checked (to name its cardinality). */
    private static final int COUNT_LIMIT = 100_000;
    /** Folder name reserved for the network over all cells. */
    static final String RESERVED_GROUP_DIR = "all";
    /** Longest folder name of a group (file systems allow 255 bytes; labels may be UTF-8). */
    static final int MAX_GROUP_DIR = 80;
    /** The model that does supervised link prediction with {@code --train-edges}. */
    static final String LINK_MODEL = "gnn";

    private final ScgrnConfig config;
    private final GroupInference groupInference;

    /** A pipeline whose defaults (model hyper-parameters, preparation) come from {@code config}. */
    public InferPipeline(ScgrnConfig config) {
        this(config, null);
    }

    private InferPipeline(ScgrnConfig config, GroupInference groupInference) {
        this.config = config;
        this.groupInference = groupInference;
    }

    /**
     * This pipeline with the per-group networks of {@code --groupby} inferred by {@code g} (e.g. on a cluster)
     * instead of here; runs whose model is re-weighted by ATAC evidence still infer their groups here.
     */
    public InferPipeline withGroupInference(GroupInference g) {
        return new InferPipeline(config, g);
    }

    /** Runs {@code request} with the embedded defaults (configs/scgrn-defaults.yaml). */
    public static InferResult run(InferRequest request, Progress progress) {
        return new InferPipeline(ScgrnConfig.embedded()).execute(request, progress);
    }

    /** Runs {@code request}; see the class comment for what it writes and throws. */
    public InferResult execute(InferRequest request, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        validateFiles(request);
        // Everything the user can get wrong in the request is checked before the (possibly long) read.
        GrnModel model = resolveModel(request);
        Map<String, String> params = checkedParams(model, request);
        PrepOptions prep = prepOptions(request);
        DecoyCalibration.Settings calibration = calibrationSettings();
        // --device gpu fails here, before the (possibly long) read; "auto" is resolved when the model starts, by which
        // time the engine has loaded in the background.
        String device = "gpu".equals(request.device()) ? resolveDevice(model, request.device()) : null;
        Sha256 sha = Sha256.start(request.input());
        warmUpWriters();
        if (isDjl(model)) {
            warmUpEngine();
        }
        Timings timings = new Timings(p);
        try (OutputStage stage = new OutputStage(request.outDir())) {
            Run run = new Run(request, model, params, prep, timings, p, stage);
            run.device = device;
            run.calibration = calibration;
            InferResult result = run.execute(sha);
            return result;
        } catch (OutOfMemoryError e) {
            throw InsufficientMemoryException.of(request.input(), e);
        } catch (AnnDataException e) {
            if (e.getCause() instanceof OutOfMemoryError oom) {
                throw InsufficientMemoryException.of(request.input(), oom);
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write outputs to " + request.outDir() + ": " + e.getMessage(), e);
        } finally {
            sha.cancel();
        }
    }

    /**
     * Refuses a groupby column with more than {@code max} distinct values (missing values aside) before any group
     * is prepared: a usage error naming the column and its cardinality.
     */
    public static void checkGroupCount(AnnData data, String groupby, int max) {
        Column col = data.obs().column(groupby).orElse(null);
        if (col == null) {
            return; // Preparation names the missing column and the available ones
        }
        Set<Object> seen = new HashSet<>();
        int n = col.length();
        for (int i = 0; i < n && seen.size() <= COUNT_LIMIT; i++) {
            Object v;
            if (col instanceof Column.Categorical c) {
                v = c.codes()[i] < 0 ? null : c.codes()[i];
            } else if (col instanceof Column.Strings st) {
                v = st.values()[i];
            } else if (col instanceof Column.Bool b) {
                v = b.valid() != null && !b.valid()[i] ? null : b.values()[i];
            } else {
                Column.Numeric num = (Column.Numeric) col;
                double x = num.values().get(i);
                v = (num.valid() != null && !num.valid()[i]) || Double.isNaN(x) ? null : x;
            }
            if (v != null) {
                seen.add(v);
            }
        }
        if (seen.size() > max) {
            throw new BadRequestException("groupby", "column '" + groupby + "' has "
                    + (seen.size() > COUNT_LIMIT ? "over " + COUNT_LIMIT : seen.size()) + " distinct values; at most "
                    + max + " groups are allowed: choose a categorical column such as a cluster label");
        }
    }

    /**
     * Checks what a request can get wrong without reading its input (model name, hyper-parameters, preparation
     * options): a {@link BadRequestException} (usage error, exit code 2 / HTTP 400) naming the field.
     */
    public void check(InferRequest request) {
        checkedParams(resolveModel(request), request);
        prepOptions(request);
    }

    /** True when the request's model trains with DJL, whose engine state is process-global (one at a time). */
    public static boolean usesDjl(String modelName) {
        String name = modelName == null || modelName.equals("default") ? Models.DEFAULT_NAME : modelName;
        return Models.names().contains(name) && isDjl(Models.byName(name));
    }

    /** The model's parameters with the configured defaults, checked by the model itself. */
    private Map<String, String> checkedParams(GrnModel model, InferRequest request) {
        Map<String, String> params = config.modelParams(model.name(), request.params());
        try {
            model.checkParams(params);
        } catch (ModelException e) {
            throw new BadRequestException("param", e.getMessage(), e);
        }
        return params;
    }

    /**
     * Loads the Arrow writer's classes on a background thread while the input is read and the model trains: the
     * first Arrow write of a JVM otherwise spends seconds in class loading at the end of the run.
     */
    private static void warmUpWriters() {
        Thread t = new Thread(() -> {
            try (BufferAllocator a = new RootAllocator()) {
                NetworkFiles.writeArrow(new Network(List.of()), OutputStream.nullOutputStream(), a);
            } catch (IOException | RuntimeException e) {
                LOG.debug("writer warm-up failed (harmless): {}", e.toString());
            }
        }, "scgrn-warmup");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Loads the DJL engine (PyTorch's native library, seconds) on a background thread while the input is read and
     * prepared, for the models that need it; the others never load DJL.
     */
    private static void warmUpEngine() {
        Thread t = new Thread(() -> {
            try {
                Engine.getInstance();
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("engine warm-up failed (the model reports it): {}", e.toString());
            }
        }, "scgrn-engine-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static boolean isDjl(GrnModel model) {
        return model.getClass().getPackageName().startsWith(DJL_MODEL_PACKAGE);
    }

    /** One execution's state, so that the steps can share it without long parameter lists. */
    private final class Run {
        final InferRequest req;
        final GrnModel model;
        final Map<String, String> params;
        final PrepOptions prep;
        final Timings timings;
        final Progress progress;
        final OutputStage stage;
        final Map<String, Object> manifest = new LinkedHashMap<>();
        /** The device the models run on ("cpu" or "gpu"), resolved before the input is read. */
        String device;
        DecoyCalibration.Settings calibration;

        Run(InferRequest req, GrnModel model, Map<String, String> params, PrepOptions prep, Timings timings,
            Progress progress, OutputStage stage) {
            this.req = req;
            this.model = model;
            this.params = params;
            this.prep = prep;
            this.timings = timings;
            this.progress = progress;
            this.stage = stage;
        }

        // State shared by the phases below, set in phase order.
        private Streaming streaming;
        private MuData md;
        private String rnaName;
        private AnnData rna;
        private List<String> candidates;
        private PreparedData all;
        private GroupedData groups;
        private ExpressionMatrix streamedCells;
        private List<Edge> prior;
        private Optional<AtacStep.Outcome> atac;
        private GrnModel runModel;
        private InferenceOptions options;
        private final Map<String, Double> scores = new LinkedHashMap<>();
        private LinkPrediction.Result heldOut;
        private Network network;
        private FutureTask<Void> networkFiles;
        private DecoyCalibration.Summary fdr;
        private final Map<String, DecoyCalibration.Summary> groupFdr = new LinkedHashMap<>();
        private final Map<String, Network> groupNetworks = new LinkedHashMap<>();
        private List<Regulon> regulons;
        private RegulonActivity activity;
        private Map<String, String> groupDirs;

        /** Runs the phases in order; each records its timing and checks for cancellation. */
        InferResult execute(Sha256 sha) throws IOException {
            readInput();
            prepare();
            runAtac();
            releaseInputMatrices();
            infer();
            // network.tsv and network.arrow depend on the network alone: written on a second thread while the
            // network is evaluated and its regulons built (the same writers, the same bytes)
            startNetworkFiles();
            try {
                evaluate();
                buildRegulons();
                writeOutputs();
            } finally {
                settleNetworkFiles();
            }
            return writeManifest(sha);
        }

        /** Starts writing network.tsv and network.arrow on a daemon thread ({@link #awaitNetworkFiles}). */
        private void startNetworkFiles() {
            // the staged names are taken here, in the order writeOutputs took them
            Path tsv = stage.file(NETWORK_TSV);
            Path arrow = stage.file(NETWORK_ARROW);
            Network net = network;
            networkFiles = new FutureTask<>(() -> {
                NetworkFiles.writeTsv(net, tsv);
                NetworkFiles.writeArrow(net, arrow);
                return null;
            });
            Thread t = new Thread(networkFiles, "scgrn-network-files");
            t.setDaemon(true);
            t.start();
        }

        /** Waits for network.tsv and network.arrow; their writer's exceptions are rethrown as they are. */
        private void awaitNetworkFiles() throws IOException {
            try {
                networkFiles.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw Tasks.unwrap(e);
            }
        }

        /**
         * On the way out (also after a failure or an interrupt): the writer is done before the staged outputs are
         * touched; its error is reported by awaitNetworkFiles when the run got that far.
         */
        private void settleNetworkFiles() {
            boolean interrupted = false;
            while (true) {
                try {
                    networkFiles.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Reads the input (without X when preparation will stream it) and picks the expression modality. */
        private void readInput() throws IOException {
            timings.start("read");
            // Large inputs: read without the expression matrix, which preparation then streams (Streaming).
            String streamMode = Streaming.mode(config.prepParams(req.prepParams()));
            streaming = null;
            if (Streaming.worthALook(streamMode, req.input())) {
                md = AnnDataFiles.readAnyWithout(req.input(), m -> false);
                AnnData meta = md.mod().get(expressionModality(md, req));
                streaming = Streaming.decide(streamMode, req, md, meta, req.layer(), genesKept(meta));
                if (!streaming.on()) {
                    md = readForAtac(req);
                }
            } else {
                md = readForAtac(req);
            }
            rnaName = expressionModality(md, req);
            rna = md.mod().get(rnaName);
            checkCancelled();
        }

        /** Prepares the expression matrix (and per-group matrices), the candidate TFs and the prior edges. */
        private void prepare() throws IOException {
            timings.start("prepare");
            candidates = candidateTfs(rna);
            if (req.groupby() != null) {
                checkGroupCount(rna, req.groupby(), MAX_GROUPS);
            }
            if (streaming != null && streaming.on()) {
                StreamingPreparation.Result r = StreamingPreparation.prepare(req.input(), rna, candidates, prep,
                        req.groupby(), Streaming.gatherBudget());
                all = r.all();
                groups = r.groups();
                streamedCells = r.cellLevel();
            } else {
                all = Preparation.prepare(rna, candidates, prep);
                groups = req.groupby() == null ? null
                        : Preparation.prepareGroups(rna, req.groupby(), candidates, prep);
            }
            prior = req.prior() == null ? List.of() : EdgeFiles.readPrior(req.prior());
            checkCancelled();
        }

        /**
         * After preparation and the ATAC step the input's matrices are not read again when the prepared matrix is
         * per cell (regulon activity scores it; result.h5ad carries obs and embeddings only): they are let go before
         * the model, whose working arrays would otherwise sit beside the file's X (at 100,000 cells × 2,000 genes
         * of a dense simulation, 1 GB). With metacells the regulon activity prepares the cells again from X, so it
         * stays.
         */
        private void releaseInputMatrices() {
            if (rna.x() == null || all.matrix().nCells() != rna.nObs()) {
                return;
            }
            AnnData raw = rna.raw() == null ? null : new AnnData(rna.raw().source(), rna.raw().h5Path(),
                    rna.raw().obs(), rna.raw().var(), null, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                    Map.of(), null);
            rna = new AnnData(rna.source(), rna.h5Path(), rna.obs(), rna.var(), null, Map.of(), rna.obsm(), Map.of(),
                    Map.of(), Map.of(), rna.uns(), raw);
            LinkedHashMap<String, AnnData> mod = new LinkedHashMap<>();
            mod.put(rnaName, rna);
            md = new MuData(md.source(), md.axis(), md.obs(), md.var(), mod, Map.of(), md.kind());
        }

        /** Multiome (io.scgrn.app.run.atac): with ATAC data, chromatin evidence re-weights the model's edges. */
        private void runAtac() throws IOException {
            timings.start("atac");
            // over the network's genes: the file's other genes (most of a 10x file's 36,000) cannot be targets
            atac = AtacStep.run(AtacStep.cacheNextTo(req.atac(), stage.outDir()), md, rnaName, all.tfs(),
                    all.matrix().genes(), req.seed(), progress);
            runModel = atac.map(a -> a.wrap(model)).orElse(model);
            checkCancelled();
        }

        /** Runs the model (calibrated, or supervised link prediction), then per group. */
        private void infer() throws IOException {
            timings.start("infer");
            // (after the phase starts: for DJL models this waits for the engine, which loads since the start)
            if (device == null) {
                device = resolveDevice(model, req.device());
            }
            options = new InferenceOptions(req.seed(), device, params, prior);
            if (req.trainEdges() != null) {
                // Supervised link prediction: the network is the held-out test pairs only, never training pairs.
                heldOut = LinkPrediction.run(all.matrix(), all.tfs(), readSideFile(req.trainEdges(),
                        LinkPrediction::readEdges), options, progress);
                network = heldOutNetwork(heldOut.test());
                scores.putAll(heldOutScores(heldOut));
                fdr = DecoyCalibration.Summary.unavailable("supervised link prediction (held-out pairs)");
            } else {
                DecoyCalibration.Result r = DecoyCalibration.infer(runModel, all.matrix(), all.tfs(), options,
                        progress, calibration);
                network = keep(r);
                fdr = r.summary();
            }
            checkCancelled();
            if (groups != null && groupInference != null && runModel == model) {
                progress.phase("infer " + req.groupby() + " (" + groups.groups().size() + " groups, distributed)");
                groupInference.infer(groups.groups(), model, options, calibration, progress).forEach((k, r) -> {
                    groupNetworks.put(k, keep(r));
                    groupFdr.put(k, r.summary());
                });
                checkCancelled();
            } else if (groups != null) {
                for (Map.Entry<String, PreparedData> g : groups.groups().entrySet()) {
                    progress.phase("infer " + req.groupby() + "=" + g.getKey());
                    PreparedData d = g.getValue();
                    DecoyCalibration.Result r = DecoyCalibration.infer(runModel, d.matrix(), d.tfs(), options,
                            progress, calibration);
                    groupNetworks.put(g.getKey(), keep(r));
                    groupFdr.put(g.getKey(), r.summary());
                    checkCancelled();
                }
            }
        }

        /** Scores the network against the truth file, when one is given. */
        private void evaluate() throws IOException {
            if (req.truth() != null) {
                timings.start("evaluate");
                scores.putAll(scoreMap(Evaluation.score(network, readSideFile(req.truth(), Evaluation::readTruth))));
            }
        }

        /** Regulons and, for result.h5ad, their per-cell activity. */
        private void buildRegulons() throws IOException {
            timings.start("regulons");
            regulons = Regulons.build(network,
                    Regulons.Options.defaults().withTopTargets(req.topRegulonTargets()));
            if (req.writeH5ad() && !regulons.isEmpty()) {
                // Activity is per cell: with metacells the prepared matrix is not, so score cell-level values.
                ExpressionMatrix cellLevel = streaming != null && streaming.on() ? streamedCells
                        : all.matrix().nCells() == rna.nObs() ? all.matrix()
                        : Preparation.prepare(rna, candidates, prep.withMetacells(0)).matrix();
                activity = cellLevel == null ? null
                        : AUCell.score(cellLevel, regulons, AUC_MAX_RANK, req.seed());
                if (activity == null) {
                    LOG.warn("regulon activity needs every cell; the streamed cells were sketched: not written to {}",
                            RESULT_H5AD);
                } else if (!activity.cells().equals(rna.obs().index())) {
                    LOG.warn("regulon activity covers {} cells, the input {}: not written to {}",
                            activity.cells().size(), rna.nObs(), RESULT_H5AD);
                    activity = null;
                }
            }
            checkCancelled();
        }

        /** Writes networks, held-out pairs, group networks, regulons, ATAC tables, the diff and result.h5ad. */
        private void writeOutputs() throws IOException {
            timings.start("write");
            awaitNetworkFiles();
            if (heldOut != null) {
                writeHeldOut(heldOut, stage.file(HELD_OUT_TSV));
            }
            groupDirs = safeNames(groupNetworks.keySet());
            for (Map.Entry<String, Network> g : groupNetworks.entrySet()) {
                String dir = GROUPS_DIR + "/" + groupDirs.get(g.getKey());
                NetworkFiles.writeTsv(g.getValue(), stage.file(dir + "/" + NETWORK_TSV));
            }
            checkCancelled();

            writeRegulons(regulons, stage.file(REGULONS_TSV));
            if (atac.isPresent()) {
                atac.get().writeFiles(stage::file);
            }
            if (groupNetworks.size() >= 2) {
                int topK = Integer.parseInt(config.get("infer.diff-top-edges", "1000"));
                try (Writer w = Files.newBufferedWriter(stage.file(NETWORK_DIFF))) {
                    NetworkDiff.writeTsv(NetworkDiff.compare(groupNetworks, topK, progress::cancelled), w);
                }
            }
            if (req.writeH5ad()) {
                Map<String, List<String>> targets = new LinkedHashMap<>();
                regulons.forEach(g -> targets.put(g.name(), g.targets()));
                ResultH5ad.write(stage.file(RESULT_H5AD), rna, all.matrix().genes(), all.tfs(), network, targets,
                        activity == null ? null : activity.values(),
                        ResultH5ad.meta(model.name(), device, req.seed(), network.size()),
                        atac.map(a -> a.obsm(rna.obs().index())).orElse(Map.of()),
                        atac.map(AtacStep.Outcome::uns).orElse(Map.of()));
            }
            checkCancelled();
            timings.stop();
        }

        /** Writes the manifest, commits the staged outputs and returns the result. */
        private InferResult writeManifest(Sha256 sha) throws IOException {
            manifest.put("scgrn_version", Versions.scgrn());
            manifest.put("created", Instant.now().toString());
            manifest.put("java", System.getProperty("java.version"));
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("path", req.input().toAbsolutePath().normalize().toString());
            input.put("size_bytes", Files.size(req.input()));
            input.put("sha256", sha.await());
            input.put("kind", md.kind());
            input.put("modality", rnaName);
            input.put("n_obs", rna.nObs());
            input.put("n_vars", rna.nVars());
            manifest.put("input", input);
            manifest.put("request", req.describe());
            manifest.put("model", model.name());
            manifest.put("model_params", new TreeMap<>(params));
            manifest.put("seed", req.seed());
            manifest.put("device_requested", req.device());
            manifest.put("device", device);
            Map<String, Object> tfs = new LinkedHashMap<>();
            tfs.put("source", req.tfsFile() != null ? req.tfsFile().toString() : "bundled:" + species(rna));
            tfs.put("candidates", candidates.size());
            tfs.put("in_data", all.tfs().size());
            manifest.put("tfs", tfs);
            manifest.put("preparation", all.describe());
            if (streaming != null) {
                manifest.put("streaming", streaming.describe());
            }
            if (groups != null) {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("column", groups.column());
                Map<String, Object> each = new LinkedHashMap<>();
                groups.groups().forEach((k, v) -> {
                    Map<String, Object> d = new LinkedHashMap<>(v.describe());
                    d.put("folder", GROUPS_DIR + "/" + groupDirs.get(k));
                    d.put("edges", groupNetworks.get(k).size());
                    d.put("fdr", groupFdr.getOrDefault(k, DecoyCalibration.Summary.unavailable(
                            "distributed group inference: no decoys")).describe());
                    each.put(k, d);
                });
                g.put("groups", each);
                g.put("skipped", groups.skipped());
                manifest.put("groups", g);
            }
            if (!prior.isEmpty()) {
                manifest.put("prior_edges", prior.size());
            }
            atac.ifPresent(a -> manifest.put("atac", a.manifest()));
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("cells", all.matrix().nCells());
            counts.put("genes", all.matrix().nGenes());
            counts.put("tfs", all.tfs().size());
            counts.put("edges", network.size());
            counts.put("edges_fdr_05", fdr.available() ? fdr.atFdr05() : null);
            counts.put("edges_fdr_10", fdr.available() ? fdr.atFdr10() : null);
            counts.put("regulons", regulons.size());
            manifest.put("counts", counts);
            Map<String, Object> fdrInfo = new LinkedHashMap<>(fdr.describe());
            fdrInfo.put("max_q", req.fdr());
            manifest.put("fdr", fdrInfo);
            if (!scores.isEmpty()) {
                manifest.put("scores", scores);
            }
            manifest.put("timings_ms", timings.asMap());
            manifest.put("outputs", new ArrayList<>(stage.finalPaths().keySet()));
            Manifest.write(stage.file(MANIFEST), manifest);
            checkCancelled();
            stage.commit(MANIFEST);
            Map<String, Path> files = stage.finalPaths();
            return new InferResult(stage.outDir(), files, files.get(MANIFEST), network, groupNetworks, model.name(),
                    device, all.matrix().nCells(), all.matrix().nGenes(), all.tfs().size(), timings.asMap(), scores);
        }

        /** The network to report: all edges, or with {@code --fdr} those with q ≤ it (all when q is unavailable). */
        private Network keep(DecoyCalibration.Result r) {
            if (req.fdr() == null) {
                return r.network();
            }
            if (!r.summary().available()) {
                LOG.warn("--fdr {} not applied (no q-values: {}): all {} edges kept", req.fdr(),
                        r.summary().reason(), r.network().size());
            }
            return r.filter(req.fdr());
        }

        /** At most the genes preparation keeps: every candidate TF and the n-top-genes most variable others. */
        private int genesKept(AnnData meta) {
            int genes = Preparation.geneNames(meta, req.layer()).size();
            return prep.nTopGenes() == 0 ? genes : Math.min(genes, prep.nTopGenes() + candidateTfs(meta).size());
        }

        private List<String> candidateTfs(AnnData rna) {
            if (req.tfsFile() != null) {
                return TfLists.read(req.tfsFile());
            }
            return TfLists.forSpecies(species(rna));
        }

        private String species(AnnData rna) {
            return req.species() != null ? req.species()
                    : TfLists.detectSpecies(Preparation.geneNames(rna, req.layer()));
        }

        private void checkCancelled() {
            if (progress.cancelled() || Thread.currentThread().isInterrupted()) {
                throw new CancellationException("cancelled");
            }
        }
    }

    /**
     * Reads a side file (truth, train edges) with a graph-models reader, whose failures are ModelExceptions: here
     * they are input-file problems.
     */
    private static <T> T readSideFile(Path file, Function<Path, T> reader) {
        try {
            return reader.apply(file);
        } catch (ModelException e) {
            String msg = e.getMessage();
            String prefix = e.field() + ": ";
            throw new InputFileException(file, msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg, e);
        }
    }

    private static Network heldOutNetwork(List<LinkPrediction.HeldOut> pairs) {
        List<Edge> edges = new ArrayList<>();
        for (LinkPrediction.HeldOut h : pairs) {
            edges.add(new Edge(h.tf(), h.target(), h.score(), 0, Double.NaN));
        }
        return new Network(edges);
    }

    private static Map<String, Double> heldOutScores(LinkPrediction.Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("test_auroc", r.testAuroc());
        m.put("test_auprc", r.testAuprc());
        m.put("validation_auroc", r.validationAuroc());
        m.put("validation_auprc", r.validationAuprc());
        m.put("n_train_positive", (double) r.nTrainPositive());
        m.put("n_test", (double) r.test().size());
        return m;
    }

    /** regulons.tsv: regulon (pySCENIC-style name), tf, sign, n_targets, targets (comma-separated, best first). */
    static void writeRegulons(List<Regulon> regulons, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("regulon\ttf\tsign\tn_targets\ttargets\n");
            for (Regulon g : regulons) {
                w.write(g.name() + "\t" + g.tf() + "\t" + (g.sign() < 0 ? "-1" : "1") + "\t" + g.size() + "\t"
                        + String.join(",", g.targets()) + "\n");
            }
        }
    }

    private static void writeHeldOut(LinkPrediction.Result r, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("tf\ttarget\tscore\tknown\tsplit\n");
            for (String split : List.of("validation", "test")) {
                for (LinkPrediction.HeldOut h : split.equals("test") ? r.test() : r.validation()) {
                    w.write(h.tf() + "\t" + h.target() + "\t" + h.score() + "\t" + (h.known() ? 1 : 0) + "\t"
                            + split + "\n");
                }
            }
        }
    }

    /**
     * The model, checked against the registry: an unknown name is a usage error, not a data problem. With train
     * edges the model is the supervised link predictor ({@value #LINK_MODEL}).
     */
    private static GrnModel resolveModel(InferRequest r) {
        if (r.trainEdges() != null) {
            if (r.model() != null && !r.model().equals(LINK_MODEL) && !r.model().equals("default")) {
                throw new BadRequestException("train-edges", "supervised link prediction uses model '" + LINK_MODEL
                        + "', not '" + r.model() + "'");
            }
            if (r.groupby() != null) {
                throw new BadRequestException("train-edges", "cannot be combined with --groupby");
            }
            if (!Models.names().contains(LINK_MODEL)) {
                throw new BadRequestException("train-edges", "model '" + LINK_MODEL + "' is not available");
            }
            return Models.byName(LINK_MODEL);
        }
        String name = r.model() == null || r.model().equals("default") ? Models.DEFAULT_NAME : r.model();
        if (!Models.names().contains(name)) {
            throw new BadRequestException("model", "unknown model '" + r.model() + "'; available: "
                    + String.join(", ", Models.names()));
        }
        return Models.byName(name);
    }

    /** Decoys for the q-values (section infer: decoy-fraction, min-decoys, max-decoys, decoy-cells-per-stratum). */
    private DecoyCalibration.Settings calibrationSettings() {
        DecoyCalibration.Settings d = DecoyCalibration.Settings.defaults();
        try {
            return new DecoyCalibration.Settings(
                    Double.parseDouble(config.get("infer.decoy-fraction", Double.toString(d.fraction()))),
                    Integer.parseInt(config.get("infer.min-decoys", Integer.toString(d.minDecoys()))),
                    Integer.parseInt(config.get("infer.max-decoys", Integer.toString(d.maxDecoys()))),
                    Integer.parseInt(config.get("infer.decoy-cells-per-stratum",
                            Integer.toString(d.cellsPerStratum()))));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("config", "infer.decoy-fraction / min-decoys / max-decoys: "
                    + e.getMessage(), e);
        }
    }

    private PrepOptions prepOptions(InferRequest r) {
        try {
            return PrepOptions.fromParams(r.layer(), r.seed(), config.prepParams(r.prepParams()));
        } catch (ModelException e) {
            throw new BadRequestException("prep", e.getMessage(), e);
        }
    }

    /**
     * The device the run actually uses, decided before the input is read: models outside
     * {@value #DJL_MODEL_PACKAGE} are plain Java and run on the CPU; DJL models use the GPU for "auto" when PyTorch
     * can allocate on one, else the CPU (silently). "gpu" that cannot be honoured is a {@link
     * DeviceUnavailableException} naming the reason (see docs/gpu.md).
     */
    static String resolveDevice(GrnModel model, String requested) {
        if ("cpu".equals(requested)) {
            return "cpu";
        }
        boolean gpu = "gpu".equals(requested);
        if (!isDjl(model)) {
            if (gpu) {
                throw new DeviceUnavailableException("model " + model.name() + " runs on the CPU only; use "
                        + "--device cpu or auto, or a DJL model (" + DJL_MODEL_PACKAGE + ")", null);
            }
            return "cpu";
        }
        String why = gpuProblem();
        if (why == null) {
            return "gpu";
        }
        if (gpu) {
            throw new DeviceUnavailableException("no usable GPU: " + why + " (see docs/gpu.md)", null);
        }
        LOG.debug("--device auto: CPU ({})", why);
        return "cpu";
    }

    /**
     * Why PyTorch cannot compute on a GPU here, or null when it can: a tensor made from Java data on GPU 0 reads back.
     * Made from Java data (DJL's {@code from_blob} path), not {@code ones}: a libtorch of another version than the
     * JNI was built for loads and allocates, but breaks exactly there (measured with PyTorch 2.11 under DJL 0.36's
     * 2.7.1 JNI, docs/gpu.md), and that is better said before the input is read than in the middle of training.
     */
    public static String gpuProblem() {
        Engine engine;
        try {
            engine = Engine.getInstance();
        } catch (RuntimeException | LinkageError e) {
            return "the PyTorch engine did not start: " + e.getMessage();
        }
        int gpus = engine.getGpuCount();
        if (gpus == 0) {
            return "PyTorch " + engine.getVersion() + " sees no CUDA device (a CPU-only native library, no "
                    + "NVIDIA driver, or no GPU)";
        }
        try (NDManager m = engine.newBaseManager(Device.gpu())) {
            float[] back = m.create(new float[] {1f, 2f}).add(m.ones(new Shape(2))).toFloatArray();
            if (back[0] != 2f || back[1] != 3f) {
                return "PyTorch " + engine.getVersion() + " computed 1 + 1 = " + back[0] + " on the GPU";
            }
            return null;
        } catch (RuntimeException | LinkageError e) {
            String msg = String.valueOf(e.getMessage());
            int nl = msg.indexOf('\n');
            // PyTorch's messages run over several lines (advice, C++ frames); the first says what failed.
            return "PyTorch " + engine.getVersion() + " cannot compute on the GPU: "
                    + (nl < 0 ? msg : msg.substring(0, nl)) + " (is the libtorch the version the JNI was built for?)";
        }
    }

    private static void validateFiles(InferRequest r) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("tfs", r.tfsFile());
        m.put("prior", r.prior());
        m.put("train-edges", r.trainEdges());
        m.put("truth", r.truth());
        for (Map.Entry<String, Path> f : m.entrySet()) {
            Path p = f.getValue();
            if (p != null && !Files.isRegularFile(p)) {
                throw new InputFileException(p, Files.exists(p) ? "not a regular file" : "no such file");
            }
        }
        Path in = r.input();
        if (!Files.isRegularFile(in)) {
            throw new AnnDataException(in, null, Files.exists(in) ? "not a regular file" : "no such file");
        }
    }

    private static MuData read(Path input) {
        return AnnDataFiles.readAny(input);
    }

    /**
     * The input, with an .h5mu's accessibility modality read without its X when the ATAC step will pair it: the
     * step streams and binarises that X from the file (MultiomeInputs.pair), so its values and indices are never
     * held (at 100,000 cells of a dense simulation 0.8 GB; for a 10x Multiome atlas the largest array of the file);
     * with {@code --atac off}, without any of its matrices.
     */
    private static MuData readForAtac(InferRequest req) {
        AtacOptions atac = req.atac();
        if (atac.atacFile() != null || !AnnDataFiles.isMuData(req.input())) {
            return read(req.input());
        }
        Optional<String> name;
        try {
            name = MultiomeInputs.findAtac(AnnDataFiles.readAnyWithout(req.input(), m -> false), atac.atacMod());
        } catch (ModelException e) {
            return read(req.input()); // the ATAC step names the problem
        }
        if (name.isEmpty()) {
            return read(req.input());
        }
        // with --atac off nothing reads the accessibility: its matrices are not read at all
        return atac.mode().equals("off") ? AnnDataFiles.readAnyWithout(req.input(), m -> !m.equals(name.get()))
                : AnnDataFiles.readAnyWithoutX(req.input(), m -> m.equals(name.get()));
    }

    /** The modality holding gene expression: the one asked for, else rna / Gene Expression, else the only one. */
    static String expressionModality(MuData md, InferRequest r) {
        return expressionModality(md, r.input(), r.atac().rnaMod());
    }

    /**
     * The modality of {@code md} (read from {@code input}) holding gene expression: {@code want} when given, else
     * rna / Gene Expression / gex, else the only one.
     */
    static String expressionModality(MuData md, Path input, String want) {
        if (want != null) {
            if (!md.mod().containsKey(want)) {
                throw new BadRequestException("rna-mod", "no modality '" + want + "' in " + input
                        + "; available: " + String.join(", ", md.mod().keySet()));
            }
            return want;
        }
        for (String name : md.mod().keySet()) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("rna") || n.equals("gene expression") || n.equals("gex")) {
                return name;
            }
        }
        if (md.mod().size() == 1) {
            return md.mod().keySet().iterator().next();
        }
        throw new ModelException("rna-mod", "cannot tell which modality of " + input
                + " holds gene expression; choose one with --rna-mod: " + String.join(", ", md.mod().keySet()));
    }

    /**
     * Folder names for group labels: runs of characters outside {@code [A-Za-z0-9._-]} become one '_', and clashes get a
     * numeric suffix, so every group gets its own folder on any file system.
     */
    static Map<String, String> safeNames(Iterable<String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        // "all" names the network over all cells (server and UI): a group called so gets a suffix.
        used.add(RESERVED_GROUP_DIR);
        for (String label : labels) {
            String base = label.replaceAll("[^A-Za-z0-9._-]+", "_");
            if (base.isEmpty() || base.chars().allMatch(c -> c == '.')) {
                base = "group";
            }
            if (base.length() > MAX_GROUP_DIR) {
                base = base.substring(0, MAX_GROUP_DIR);
            }
            String name = base;
            for (int i = 2; !used.add(name.toLowerCase(Locale.ROOT)); i++) {
                name = base + "-" + i;
            }
            out.put(label, name);
        }
        return out;
    }

    /** Scores as snake_case keys (epr, auprc_ratio, …), as the manifest and batch summaries use them. */
    public static Map<String, Double> scoreMap(Scores s) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("epr", s.epr());
        m.put("auprc_ratio", s.auprcRatio());
        m.put("auroc", s.auroc());
        m.put("auprc", s.auprc());
        m.put("early_precision", s.earlyPrecision());
        m.put("density", s.density());
        m.put("n_true", (double) s.nTrue());
        m.put("n_candidates", (double) s.nCandidates());
        return m;
    }
}

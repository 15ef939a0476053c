package io.scgrn.app.run;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.MuData;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one inference code path: read → prepare → infer → regulons → write, used by {@code scgrn infer}, the server's
 * jobs and {@code scgrn batch}. Outputs are written into a temporary folder inside the output folder and moved into
 * place at the end, so a failed or cancelled run leaves no partial output.
 *
 * <p>Failures: {@link AnnDataException} (input unreadable), {@link ModelException} (data unsuitable),
 * {@link BadRequestException} (bad request), {@link CancellationException} (progress cancelled),
 * {@link UncheckedIOException} (cannot write outputs).
 */
public final class InferPipeline {
    public static final String NETWORK_TSV = "network.tsv";
    public static final String NETWORK_ARROW = "network.arrow";
    public static final String REGULONS_TSV = "regulons.tsv";
    public static final String RESULT_H5AD = "result.h5ad";
    public static final String MANIFEST = "manifest.json";
    public static final String NETWORK_DIFF = "network_diff.tsv";

    private static final Logger LOG = LoggerFactory.getLogger(InferPipeline.class);

    private final ScgrnConfig config;

    /** A pipeline whose model defaults come from {@code config}. */
    public InferPipeline(ScgrnConfig config) {
        this.config = config;
    }

    /** Runs {@code request} with the embedded defaults (configs/scgrn-defaults.yaml). */
    public static InferResult run(InferRequest request, Progress progress) {
        return new InferPipeline(ScgrnConfig.embedded()).execute(request, progress);
    }

    /** Runs {@code request}; see the class comment for what it writes and throws. */
    public InferResult execute(InferRequest request, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        validate(request);
        Timings timings = new Timings(p);
        try (OutputStage stage = new OutputStage(request.outDir())) {
            timings.start("read");
            AnnData rna = readExpressionModality(request);
            checkCancelled(p);

            timings.start("prepare");
            ExpressionMatrix data = prepare(rna, request);
            List<String> tfs = loadTfs(request, data);
            checkCancelled(p);

            timings.start("infer");
            GrnModel model = resolveModel(request.model());
            InferenceOptions options = new InferenceOptions(request.seed(), request.device(),
                    config.modelParams(model.name(), request.params()), List.of());
            Network network = model.infer(data, tfs, options, p);
            checkCancelled(p);

            timings.start("write");
            NetworkFiles.writeTsv(network, stage.file(NETWORK_TSV));
            NetworkFiles.writeArrow(network, stage.file(NETWORK_ARROW));
            timings.stop();

            Path manifest = stage.file(MANIFEST);
            Manifest.write(manifest, manifest(request, model.name(), options, request.device(), data,
                    tfs.size(), network, timings.asMap()));
            stage.commit(MANIFEST);
            Map<String, Path> files = stage.finalPaths();
            return new InferResult(stage.outDir(), files, files.get(MANIFEST), network, Map.of(), model.name(),
                    request.device(), data.nCells(), data.nGenes(), tfs.size(), timings.asMap(), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write outputs to " + request.outDir() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> manifest(InferRequest r, String model, InferenceOptions options,
                                                String device, ExpressionMatrix data, int nTfs, Network network,
                                                Map<String, Long> timings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scgrn_version", Versions.scgrn());
        m.put("created", java.time.Instant.now().toString());
        m.put("request", r.describe());
        m.put("model", model);
        m.put("model_params", options.params());
        m.put("seed", r.seed());
        m.put("device", device);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("cells", data.nCells());
        counts.put("genes", data.nGenes());
        counts.put("tfs", nTfs);
        counts.put("edges", network.size());
        m.put("counts", counts);
        m.put("timings_ms", timings);
        return m;
    }

    private static void validate(InferRequest r) {
        for (Map.Entry<String, Path> f : optionalFiles(r).entrySet()) {
            if (f.getValue() != null && !Files.isReadable(f.getValue())) {
                throw new BadRequestException(f.getKey(), "cannot read " + f.getValue());
            }
        }
    }

    private static Map<String, Path> optionalFiles(InferRequest r) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("tfs", r.tfsFile());
        m.put("prior", r.prior());
        m.put("train-edges", r.trainEdges());
        m.put("truth", r.truth());
        return m;
    }

    private static AnnData readExpressionModality(InferRequest r) {
        if (!Files.isRegularFile(r.input())) {
            throw new AnnDataException(r.input(), null, Files.exists(r.input()) ? "not a regular file"
                    : "no such file");
        }
        MuData md = AnnDataFiles.readAny(r.input());
        String want = r.atac().rnaMod();
        if (want != null) {
            AnnData a = md.mod().get(want);
            if (a == null) {
                throw new ModelException("rna-mod", "no modality '" + want + "' in " + r.input() + "; available: "
                        + String.join(", ", md.mod().keySet()));
            }
            return a;
        }
        for (String name : List.of(AnnDataFiles.SINGLE_MODALITY, "Gene Expression", "gex", "RNA")) {
            if (md.mod().containsKey(name)) {
                return md.mod().get(name);
            }
        }
        if (md.mod().size() == 1) {
            return md.mod().values().iterator().next();
        }
        throw new ModelException("rna-mod", "cannot tell which modality of " + r.input()
                + " holds gene expression; choose one of: " + String.join(", ", md.mod().keySet()));
    }

    private static ExpressionMatrix prepare(AnnData rna, InferRequest r) {
        // TODO(C): replace with io.scgrn.models.prep (helper B1) as soon as it lands.
        throw new ModelException("prepare", "preparation step not wired yet");
    }

    private static List<String> loadTfs(InferRequest r, ExpressionMatrix data) {
        // TODO(C): io.scgrn.models.prep TfLists (helper B1).
        return new ArrayList<>();
    }

    private static GrnModel resolveModel(String name) {
        // TODO(C): io.scgrn.models.Models.byName (helper B1).
        throw new BadRequestException("model", "model registry not wired yet");
    }

    private static void checkCancelled(Progress p) {
        if (p.cancelled()) {
            throw new CancellationException("cancelled");
        }
    }
}

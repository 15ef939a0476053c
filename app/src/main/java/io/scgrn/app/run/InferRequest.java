package io.scgrn.app.run;

import io.scgrn.app.errors.BadRequestException;
import io.scgrn.app.run.atac.AtacOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything one GRN inference run needs: the single input of {@link InferPipeline#run}, shared by {@code scgrn
 * infer}, the server's jobs and {@code scgrn batch}. Build it with {@link #builder(Path)}: fields may be added
 * (for example ATAC options), and the builder keeps callers compiling.
 *
 * @param input             .h5ad, .h5mu or 10x .h5 file
 * @param model             model name ({@code io.scgrn.models.Models.byName}); null means the default model
 * @param tfsFile           file of candidate regulators (one per line, or a CSV whose first column is the TF), or
 *                          null to use {@code species}
 * @param species           "human", "mouse" or null/"auto" to guess from the gene names; ignored with tfsFile
 * @param groupby           obs column: also infer one network per category, or null
 * @param layer             layer to read instead of X ("raw" for raw.X), or null for X
 * @param device            "auto", "cpu" or "gpu"
 * @param seed              random seed
 * @param outDir            output folder; created, written through a temporary sub-folder and moved at the end
 * @param params            model hyper-parameters (name → value as text)
 * @param prepParams        preparation options (name → value as text: n-top-genes, metacells, …)
 * @param prior             file of prior TF → target edges (tf, target[, score]), or null
 * @param trainEdges        file of known TF → target edges for supervised link prediction, or null
 * @param truth             file of true edges (header Gene1,Gene2) to score the network against, or null
 * @param atac              how to use scATAC data
 * @param topRegulonTargets the most targets a regulon keeps
 * @param writeH5ad         whether to write {@code result.h5ad}
 * @param fdr               keep only edges whose q-value (estimated false-discovery rate) is at most this, in
 *                          (0, 1]; null keeps every edge
 */
public record InferRequest(Path input, String model, Path tfsFile, String species, String groupby, String layer,
                           String device, long seed, Path outDir, Map<String, String> params,
                           Map<String, String> prepParams, Path prior, Path trainEdges, Path truth,
                           AtacOptions atac, int topRegulonTargets, boolean writeH5ad, Double fdr) {

    /** Default number of targets kept per regulon. */
    public static final int DEFAULT_REGULON_TARGETS = 50;

    public InferRequest {
        Objects.requireNonNull(input, "input");
        device = device == null ? "auto" : device;
        if (!device.equals("auto") && !device.equals("cpu") && !device.equals("gpu")) {
            throw new BadRequestException("device", "must be auto, cpu or gpu, not '" + device + "'");
        }
        if (species != null && species.equals("auto")) {
            species = null;
        }
        if (species != null && !species.equals("human") && !species.equals("mouse")) {
            throw new BadRequestException("species", "must be human, mouse or auto, not '" + species + "'");
        }
        if (topRegulonTargets < 1) {
            throw new BadRequestException("top-regulon-targets", "must be at least 1, not " + topRegulonTargets);
        }
        if (fdr != null && !(fdr > 0 && fdr <= 1)) {
            throw new BadRequestException("fdr", "must be in (0, 1], not " + fdr);
        }
        params = params == null ? Map.of() : Map.copyOf(params);
        prepParams = prepParams == null ? Map.of() : Map.copyOf(prepParams);
        atac = atac == null ? AtacOptions.auto() : atac;
        outDir = outDir == null ? defaultOutDir(input) : outDir;
    }

    /** {@code scgrn-out/<file name without extension>}, relative to the working directory. */
    public static Path defaultOutDir(Path input) {
        String name = input.getFileName().toString();
        int dot = name.indexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return Path.of("scgrn-out", stem);
    }

    public static Builder builder(Path input) {
        return new Builder(input);
    }

    /** A builder preset with this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(input);
        b.model = model;
        b.tfsFile = tfsFile;
        b.species = species;
        b.groupby = groupby;
        b.layer = layer;
        b.device = device;
        b.seed = seed;
        b.outDir = outDir;
        b.params = new LinkedHashMap<>(params);
        b.prepParams = new LinkedHashMap<>(prepParams);
        b.prior = prior;
        b.trainEdges = trainEdges;
        b.truth = truth;
        b.atac = atac;
        b.topRegulonTargets = topRegulonTargets;
        b.writeH5ad = writeH5ad;
        b.fdr = fdr;
        return b;
    }

    /** The request as plain values (sorted maps, paths as strings) for manifests and task hashes. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", input.toString());
        m.put("model", model);
        m.put("tfs_file", str(tfsFile));
        m.put("species", species);
        m.put("groupby", groupby);
        m.put("layer", layer);
        m.put("device", device);
        m.put("seed", seed);
        m.put("params", new TreeMap<>(params));
        m.put("prep_params", new TreeMap<>(prepParams));
        m.put("prior", str(prior));
        m.put("train_edges", str(trainEdges));
        m.put("truth", str(truth));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("mode", atac.mode());
        a.put("rna_mod", atac.rnaMod());
        a.put("atac_mod", atac.atacMod());
        a.put("atac_file", str(atac.atacFile()));
        a.put("genes", str(atac.genes()));
        a.put("motifs", str(atac.motifs()));
        a.put("extra", new TreeMap<>(atac.extra()));
        m.put("atac", a);
        m.put("top_regulon_targets", topRegulonTargets);
        m.put("write_h5ad", writeH5ad);
        if (fdr != null) {
            m.put("fdr", fdr); // only when set: task ids of plans without it stay what they were
        }
        return m;
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }

    /** Mutable builder; unset fields take the defaults documented on {@link InferRequest}. */
    public static final class Builder {
        private final Path input;
        private String model;
        private Path tfsFile;
        private String species;
        private String groupby;
        private String layer;
        private String device = "auto";
        private long seed;
        private Path outDir;
        private Map<String, String> params = new LinkedHashMap<>();
        private Map<String, String> prepParams = new LinkedHashMap<>();
        private Path prior;
        private Path trainEdges;
        private Path truth;
        private AtacOptions atac = AtacOptions.auto();
        private int topRegulonTargets = DEFAULT_REGULON_TARGETS;
        private boolean writeH5ad = true;
        private Double fdr;

        private Builder(Path input) {
            this.input = Objects.requireNonNull(input, "input");
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder tfsFile(Path v) {
            tfsFile = v;
            return this;
        }

        public Builder species(String v) {
            species = v;
            return this;
        }

        public Builder groupby(String v) {
            groupby = v;
            return this;
        }

        public Builder layer(String v) {
            layer = v;
            return this;
        }

        public Builder device(String v) {
            device = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder outDir(Path v) {
            outDir = v;
            return this;
        }

        /** Replaces all model parameters. */
        public Builder params(Map<String, String> v) {
            params = new LinkedHashMap<>(v);
            return this;
        }

        public Builder param(String name, String value) {
            params.put(name, value);
            return this;
        }

        /** Replaces all preparation parameters. */
        public Builder prepParams(Map<String, String> v) {
            prepParams = new LinkedHashMap<>(v);
            return this;
        }

        public Builder prepParam(String name, String value) {
            prepParams.put(name, value);
            return this;
        }

        public Builder prior(Path v) {
            prior = v;
            return this;
        }

        public Builder trainEdges(Path v) {
            trainEdges = v;
            return this;
        }

        public Builder truth(Path v) {
            truth = v;
            return this;
        }

        public Builder atac(AtacOptions v) {
            atac = v;
            return this;
        }

        public Builder topRegulonTargets(int v) {
            topRegulonTargets = v;
            return this;
        }

        public Builder writeH5ad(boolean v) {
            writeH5ad = v;
            return this;
        }

        /** Keep only edges with q ≤ v (null: all edges). */
        public Builder fdr(Double v) {
            fdr = v;
            return this;
        }

        public InferRequest build() {
            return new InferRequest(input, model, tfsFile, species, groupby, layer, device, seed, outDir, params,
                    prepParams, prior, trainEdges, truth, atac, topRegulonTargets, writeH5ad, fdr);
        }
    }
}

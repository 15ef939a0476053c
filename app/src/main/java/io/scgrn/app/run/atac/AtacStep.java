package io.scgrn.app.run.atac;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.MuData;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.models.GrnModel;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.atac.AtacAnalysis;
import io.scgrn.models.atac.AtacInformedModel;
import io.scgrn.models.atac.AtacResult;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.MotifTable;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.atac.MultiomeInputs;
import io.scgrn.models.motif.MotifDatabase;
import io.scgrn.models.motif.MotifScan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's ATAC step. With {@link AtacOptions#mode()} "auto" it runs when the input has an accessibility
 * modality (named atac/peaks, or var feature_types "Peaks") or {@code --atac-file} names one; "on" makes missing
 * ATAC data an error; "off" skips it. TF binding evidence comes from {@code --motifs}, else from an ATAC
 * {@code varm["motifs"]} peaks × TFs matrix whose TF names are in {@code uns["motif_names"]}, else from a motif
 * scan of the peaks' sequence in {@code --genome} ({@link MotifScan}), else from TF expression–accessibility
 * correlation.
 */
public final class AtacStep {
    private static final Logger LOG = LoggerFactory.getLogger(AtacStep.class);

    private AtacStep() {
    }

    /** What the step found, and how it changes the run. */
    public record Outcome(AtacResult result, AtacSettings settings, String motifSource, Map<String, Object> motifScan) {
        public Outcome(AtacResult result, AtacSettings settings, String motifSource) {
            this(result, settings, motifSource, Map.of());
        }

        /**
         * The RNA model wrapped so that chromatin evidence re-weights its edges, or {@code base} itself when the
         * prior is not applied (no motif evidence and no explicit prior-floor: see
         * {@link AtacSettings#effectiveFloor}).
         */
        public GrnModel wrap(GrnModel base) {
            OptionalDouble floor = settings.effectiveFloor(!motifSource.equals("correlation"));
            if (floor.isEmpty()) {
                LOG.warn("atac: no motif evidence (--motifs, --genome); links, triplets and activities are "
                        + "written but the TF-peak prior does not re-weight the network (correlation-only TF-peak "
                        + "evidence is too weak; --atac-param prior-floor=F applies it anyway){}",
                        result.stateShare() > 0 ? "; the RNA ranking is blended with within-state co-expression"
                                + " (state-share " + result.stateShare() + ")" : "");
                if (result.stateShare() == 0 && result.smoothNeighbours() == null) {
                    return base;
                }
            }
            // Without the prior (no motif evidence) the base model does not get it in its options either.
            return new AtacInformedModel(base, floor.isPresent() ? result.prior() : List.of(),
                    result.informativeTargets(), floor.orElse(Double.NaN), result.stateEdges(),
                    result.stateShare()).withCellStates(result.data().cells(), result.cellStates())
                    .withPearsonShare(result.rnaPearson())
                    .withRnaSmoothing(result.data().cells(), result.smoothNeighbours())
                    .withStateCells(result.data().cells(), result.stateEdgeStates());
        }

        /** Whether {@link #wrap} re-weights the network. */
        public boolean priorApplied() {
            return settings.effectiveFloor(!motifSource.equals("correlation")).isPresent();
        }

        /**
         * Writes triplets.tsv, triplets.arrow, peak_gene_links.tsv, peak_gene_links.bedpe and eregulons.tsv.
         *
         * @param fileFor where to write each named output (the pipeline's staging folder)
         * @return output name → path written
         */
        public Map<String, Path> writeFiles(Function<String, Path> fileFor) throws IOException {
            Map<String, Path> out = new LinkedHashMap<>();
            Path p = fileFor.apply(AtacFiles.TRIPLETS_TSV);
            AtacFiles.writeTripletsTsv(result.triplets(), p);
            out.put(AtacFiles.TRIPLETS_TSV, p);
            p = fileFor.apply(AtacFiles.TRIPLETS_ARROW);
            AtacFiles.writeTripletsArrow(result.triplets(), p);
            out.put(AtacFiles.TRIPLETS_ARROW, p);
            p = fileFor.apply(AtacFiles.LINKS_TSV);
            AtacFiles.writeLinksTsv(result, p);
            out.put(AtacFiles.LINKS_TSV, p);
            p = fileFor.apply(AtacFiles.LINKS_BEDPE);
            AtacFiles.writeLinksBedpe(result, p);
            out.put(AtacFiles.LINKS_BEDPE, p);
            p = fileFor.apply(AtacFiles.EREGULONS_TSV);
            AtacFiles.writeERegulons(result.eRegulons(), p);
            out.put(AtacFiles.EREGULONS_TSV, p);
            return out;
        }

        /**
         * Per-cell matrices for result.h5ad, rows aligned with {@code cells} (NaN for cells without an ATAC
         * profile): {@code X_gene_activity} (cells × genes with a position, CSR) and {@code X_eregulon_activity}
         * (cells × eRegulons). Column names are in {@link #uns()}. Empty matrices are left out.
         */
        public Map<String, Matrix> obsm(List<String> cells) {
            MultiomeData d = result.data();
            Map<String, Integer> row = new HashMap<>();
            for (int i = 0; i < d.nCells(); i++) {
                row.put(d.cells().get(i), i);
            }
            Map<String, Matrix> out = new LinkedHashMap<>();
            int k = result.activityGenes().size();
            if (k > 0) {
                // computed here, in the cells' order, as CSR like Signac's: no cells × genes copy lives through
                // the run, and none is written dense
                int[] rows = cells.stream().mapToInt(c -> row.getOrDefault(c, -1)).toArray();
                out.put("X_gene_activity", result.geneActivity(rows));
            }
            put(out, "X_eregulon_activity", result.eRegulonActivity(), result.eRegulons().size(), cells, row);
            return out;
        }

        private static void put(Map<String, Matrix> out, String key, float[] src, int k, List<String> cells,
                                Map<String, Integer> row) {
            if (k == 0) {
                return;
            }
            float[] v = new float[cells.size() * k];
            for (int i = 0; i < cells.size(); i++) {
                Integer r = row.get(cells.get(i));
                for (int j = 0; j < k; j++) {
                    v[i * k + j] = r == null ? Float.NaN : src[r * k + j];
                }
            }
            out.put(key, DenseMatrix.ofFloats(cells.size(), k, v));
        }

        /** Column names of the obsm matrices: {@code gene_activity_genes}, {@code eregulon_tfs}. */
        public Map<String, Object> uns() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (!result.activityGenes().isEmpty()) {
                m.put("gene_activity_genes", result.activityGenes().toArray(String[]::new));
            }
            if (!result.eRegulons().isEmpty()) {
                m.put("eregulon_tfs", result.eRegulons().keySet().toArray(String[]::new));
            }
            return m;
        }

        /** Counts and settings for manifest.json. */
        public Map<String, Object> manifest() {
            MultiomeData d = result.data();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cells_shared", d.nCells());
            m.put("cells_rna_only_dropped", d.rnaOnly());
            m.put("cells_atac_only_dropped", d.atacOnly());
            m.put("peaks", d.nPeaks());
            m.put("genes_with_position", d.loci().size());
            m.put("metacells", result.nMetacells());
            m.put("candidate_links", result.links().size());
            m.put("significant_links", result.significantLinks());
            m.put("triplets", result.triplets().size());
            m.put("prior_edges", result.prior().size());
            m.put("eregulons", result.eRegulons().size());
            m.put("tf_peak_evidence", motifSource);
            m.put("prior_applied", priorApplied());
            m.put("state_blend_applied", result.stateShare() > 0);
            m.put("state_share_applied", result.stateShare());
            m.put("rna_pearson_applied", result.rnaPearson());
            if (!motifScan.isEmpty()) {
                m.put("motif_scan", motifScan);
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("window", settings.window());
            s.put("metacells", settings.metacells());
            s.put("metacell-size", settings.metacellSize());
            s.put("dims", settings.dims());
            s.put("rna-weight", settings.rnaWeight());
            s.put("p-threshold", settings.pThreshold());
            s.put("min-corr", settings.minCorr());
            s.put("min-tf-peak", settings.minTfPeak());
            s.put("prior-floor", Double.isNaN(settings.priorFloor()) ? "auto" : settings.priorFloor());
            s.put("coupling", settings.coupling());
            s.put("states", settings.states());
            s.put("state-share", settings.stateShare());
            s.put("gating", settings.gating());
            s.put("prior-power", settings.priorPower());
            s.put("motif-activity", settings.motifActivity());
            s.put("link-weight", settings.linkWeight().param());
            s.put("coupling-within-states", settings.couplingWithinStates());
            s.put("link-sign", settings.linkSign().param());
            s.put("within-states", settings.withinStates().param());
            s.put("state-share-from", settings.stateShareFrom().param());
            s.put("scan-compete", settings.scanCompete());
            s.put("paralog-split", settings.paralogSplit());
            s.put("state-share-motifs", settings.stateShareMotifs().param());
            s.put("rna-pearson", settings.rnaPearson());
            s.put("rna-pearson-below", settings.rnaPearsonBelow());
            s.put("rna-smooth", settings.rnaSmooth());
            s.put("rna-smooth-space", settings.rnaSmoothSpace().param());
            m.put("settings", s);
            m.put("timings_ms", result.timingsMs());
            return m;
        }
    }

    /**
     * Runs the ATAC analysis when the options and data call for it.
     *
     * @param opts  ATAC options of the request
     * @param input the input as read (its RNA modality is the one the pipeline uses)
     * @param tfs   candidate regulators
     * @param seed  run seed
     * @return empty when ATAC is off, or "auto" and there is no accessibility data
     * @throws ModelException when "on" and there is no ATAC data, or the data cannot be paired
     */
    public static Optional<Outcome> run(AtacOptions opts, MuData input, List<String> tfs, long seed,
                                        Progress progress) {
        return run(opts, input, null, tfs, seed, progress);
    }

    /**
     * As {@link #run(AtacOptions, MuData, List, long, Progress)}, with the expression modality the pipeline chose
     * ({@code rnaName}, or null to detect it).
     */
    public static Optional<Outcome> run(AtacOptions opts, MuData input, String rnaName, List<String> tfs, long seed,
                                        Progress progress) {
        return run(opts, input, rnaName, tfs, null, seed, progress);
    }

    /**
     * As {@link #run(AtacOptions, MuData, String, List, long, Progress)} over the RNA genes {@code genes} only (the
     * network's genes, or null for every gene of the file: {@link MultiomeInputs#pair(AnnData, AnnData, Path,
     * java.util.Collection)}).
     */
    public static Optional<Outcome> run(AtacOptions opts, MuData input, String rnaName, List<String> tfs,
                                        List<String> genes, long seed, Progress progress) {
        if (opts.mode().equals("off")) {
            return Optional.empty();
        }
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("atac-file", opts.atacFile());
        files.put("genes", opts.genes());
        files.put("motifs", opts.motifs());
        files.put("genome", opts.genome());
        files.put("motif-db", opts.motifDb());
        files.forEach((name, f) -> {
            if (f != null && !Files.isReadable(f)) {
                throw new BadRequestException(name, "cannot read " + f);
            }
        });
        AnnData rna;
        AnnData atac;
        if (opts.atacFile() != null) {
            // without X: the accessibility is binarised while streamed from the file (MultiomeInputs.pair)
            MuData other = AnnDataFiles.readAnyWithoutX(opts.atacFile(), m -> true);
            String atacName = MultiomeInputs.findAtac(other, opts.atacMod()).orElseGet(() -> {
                if (other.mod().size() == 1) {
                    return other.mod().keySet().iterator().next();
                }
                throw new ModelException("atac-file", opts.atacFile() + " has no accessibility modality; found "
                        + String.join(", ", other.mod().keySet()));
            });
            atac = other.mod().get(atacName);
            String name = rnaName != null ? rnaName : input.mod().size() == 1
                    ? input.mod().keySet().iterator().next() : MultiomeInputs.findRna(input, opts.rnaMod(), null);
            rna = input.mod().get(name);
        } else {
            Optional<String> atacName = MultiomeInputs.findAtac(input, opts.atacMod());
            if (atacName.isEmpty()) {
                if (opts.mode().equals("on")) {
                    throw new ModelException("atac", "no accessibility data: the input has modalities "
                            + String.join(", ", input.mod().keySet()) + " (none named atac/peaks or with "
                            + "feature_types Peaks); pass --atac-mod NAME or --atac-file FILE");
                }
                return Optional.empty();
            }
            atac = input.mod().get(atacName.get());
            rna = input.mod().get(rnaName != null ? rnaName
                    : MultiomeInputs.findRna(input, opts.rnaMod(), atacName.get()));
        }
        // A malformed motif file fails before the (slower) pairing and scan.
        MotifDatabase db = opts.genome() == null ? null
                : opts.motifDb() != null ? MotifDatabase.read(opts.motifDb()) : MotifDatabase.bundled();
        MultiomeData data = MultiomeInputs.pair(rna, atac, opts.genes(), genes);
        MotifTable motifs = null;
        String source = "correlation";
        Map<String, Object> scanInfo = new LinkedHashMap<>();
        if (db != null) {
            Progress pr = progress == null ? Progress.NONE : progress;
            pr.phase("atac: motif scan");
            double p = Double.isNaN(opts.motifP()) ? MotifScan.DEFAULT_P : opts.motifP();
            long t0 = System.nanoTime();
            MotifDatabase used = MotifScan.forTfs(db, tfs);
            MotifScan.Result scan = MotifScan.run(opts.genome(), data.peaks(), used, p, opts.scanCache(),
                    pr::cancelled);
            motifs = MotifScan.toMotifTable(scan, tfs, data.peaks(),
                    AtacSettings.fromParams(opts.extra(), seed).scanCompete());
            source = "genome:" + opts.genome();
            scanInfo.put("genome", opts.genome().toString());
            scanInfo.put("motif_db", db.source());
            scanInfo.put("motif_db_sha256", db.sha256());
            scanInfo.put("motifs", db.motifs().size());
            scanInfo.put("motifs_scanned", used.motifs().size());
            scanInfo.put("p_value", p);
            scanInfo.put("background_acgt", scan.background());
            scanInfo.put("peak_motif_hits", scan.hits().size());
            scanInfo.put("peak_tf_hits", motifs.size());
            scanInfo.put("tfs_with_motif", motifs.tfs().size());
            scanInfo.put("from_cache", scan.fromCache());
            if (scan.cacheFile() != null) {
                scanInfo.put("cache_file", scan.cacheFile().toString());
            }
            scanInfo.put("ms", (System.nanoTime() - t0) / 1_000_000);
        } else if (opts.motifs() != null) {
            motifs = MotifTable.read(opts.motifs(), data.peakNames(), data.peaks());
            source = "motifs:" + opts.motifs();
        } else if (atac.varm().containsKey(VARM_MOTIFS) && atac.uns().get(VARM_MOTIF_NAMES) != null) {
            motifs = MotifTable.fromMatrix(atac.varm().get(VARM_MOTIFS), names(atac.uns().get(VARM_MOTIF_NAMES)),
                    atac.var().index(), data.peakNames());
            source = "varm:" + VARM_MOTIFS;
        }
        AtacSettings settings = AtacSettings.fromParams(opts.extra(), seed).resolvePriorPower(db != null);
        // the TF → target prior is built only where it will re-weight the network (Outcome.wrap): without motif
        // evidence it does not, and with a genome-wide TF list it is millions of pairs (manifest: prior_edges 0)
        boolean withPrior = settings.effectiveFloor(motifs != null).isPresent();
        AtacResult res = AtacAnalysis.run(data, new ArrayList<>(tfs), motifs, settings, progress, withPrior);
        return Optional.of(new Outcome(res, settings, source, scanInfo));
    }

    /**
     * {@code opts} with its motif-scan cache in {@code .scgrn-cache} beside {@code outDir} (so that it outlives a
     * re-run that replaces the output folder), unless it names one already.
     */
    public static AtacOptions cacheNextTo(AtacOptions opts, Path outDir) {
        if (opts.scanCache() != null || opts.genome() == null) {
            return opts;
        }
        Path abs = outDir.toAbsolutePath().normalize();
        Path parent = abs.getParent() != null ? abs.getParent() : abs;
        return opts.withScanCache(parent.resolve(".scgrn-cache"));
    }

    /** ATAC varm key of a peaks × TFs motif matrix, used when no --motifs file is given. */
    public static final String VARM_MOTIFS = "motifs";
    /** ATAC uns key naming the columns (TFs) of {@link #VARM_MOTIFS}. */
    public static final String VARM_MOTIF_NAMES = "motif_names";

    private static List<String> names(Object v) {
        if (v instanceof String[] a) {
            return List.of(a);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        throw new ModelException("atac uns/" + VARM_MOTIF_NAMES, "expected a string array, found "
                + v.getClass().getSimpleName());
    }
}

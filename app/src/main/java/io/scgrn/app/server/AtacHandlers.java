package io.scgrn.app.server;

import io.scgrn.app.run.atac.AtacFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gene's chromatin evidence for the web UI's genome track: its candidate peaks (interval, link r / z / p,
 * significance) with the TF motif evidence of the triplets through each peak, read from a multiome job's
 * {@code peak_gene_links.tsv} and {@code triplets.tsv}.
 */
final class AtacHandlers {
    /** Peaks returned at most, strongest links first (a 100 kb window rarely holds more). */
    static final int MAX_PEAKS = 500;

    private final ServerContext sc;

    AtacHandlers(ServerContext sc) {
        this.sc = sc;
    }

    /** {@code GET /jobs/:id/atac/genes/:gene}. */
    void gene(RoutingContext ctx) {
        String jobId = Http.path(ctx, "id");
        String gene = Http.path(ctx, "gene");
        // The job's record may have to be read from disk (finished jobs are not all held in memory): withJob.
        JobHandlers.withJob(ctx, sc, jobId, job -> {
            if (!"done".equals(job.getString("status"))) {
                throw new ApiException(409, "job " + jobId + " is " + job.getString("status") + ", not done");
            }
            Path out = sc.networks().outDir(jobId);
            Http.blocking(ctx, () -> geneTrack(out, gene)).onSuccess(body -> Http.json(ctx, body));
        });
    }

    /** The track of {@code gene} from the outputs in {@code out}; 404 when there are none. */
    static JsonObject geneTrack(Path out, String gene) {
        Path links = out.resolve(AtacFiles.LINKS_TSV);
        if (!Files.isRegularFile(links)) {
            throw new ApiException(404, "this job has no ATAC outputs (" + AtacFiles.LINKS_TSV + ")");
        }
        List<Map<String, String>> rows = rowsOf(links, "gene", gene);
        if (rows.isEmpty()) {
            throw new ApiException(404, "no candidate peaks for gene '" + gene + "' in " + AtacFiles.LINKS_TSV);
        }
        if (!rows.get(0).containsKey("tss_start")) {
            throw new ApiException(404, AtacFiles.LINKS_TSV + " has no peak positions (written by an older scgrn)");
        }
        Map<String, JsonArray> motifs = new HashMap<>();
        Path triplets = out.resolve(AtacFiles.TRIPLETS_TSV);
        if (Files.isRegularFile(triplets)) {
            for (Map<String, String> t : rowsOf(triplets, "gene", gene)) {
                motifs.computeIfAbsent(t.get("peak"), k -> new JsonArray()).add(new JsonObject()
                        .put("tf", t.get("tf")).put("tf_peak", num(t.get("tf_peak")))
                        .put("source", t.get("tf_peak_source")).put("tf_gene_r", num(t.get("tf_gene_r")))
                        .put("score", num(t.get("score"))));
            }
        }
        rows.sort(Comparator.comparingDouble((Map<String, String> r) -> -Math.abs(num(r.get("r")))));
        JsonArray peaks = new JsonArray();
        for (Map<String, String> r : rows.subList(0, Math.min(MAX_PEAKS, rows.size()))) {
            peaks.add(new JsonObject().put("peak", r.get("peak")).put("start", Long.parseLong(r.get("start")))
                    .put("end", Long.parseLong(r.get("end"))).put("distance", Long.parseLong(r.get("distance")))
                    .put("r", num(r.get("r"))).put("z", num(r.get("z"))).put("p", num(r.get("p")))
                    .put("significant", Boolean.parseBoolean(r.get("significant")))
                    .put("motifs", motifs.getOrDefault(r.get("peak"), new JsonArray())));
        }
        Map<String, String> first = rows.get(0);
        return new JsonObject().put("gene", gene).put("chrom", first.get("chrom"))
                .put("tss_start", Long.parseLong(first.get("tss_start")))
                .put("tss_end", Long.parseLong(first.get("tss_end"))).put("strand", first.get("strand"))
                .put("n_peaks", rows.size()).put("peaks", peaks);
    }

    /** Rows of a tab-separated file with a header whose {@code column} equals {@code value}. */
    static List<Map<String, String>> rowsOf(Path file, String column, String value) {
        List<Map<String, String>> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                return out;
            }
            String[] names = header.split("\t", -1);
            int col = List.of(names).indexOf(column);
            if (col < 0) {
                throw new ApiException(500, file.getFileName() + " has no column '" + column + "'");
            }
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\t", -1);
                if (f.length != names.length || !f[col].equals(value)) {
                    continue;
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < names.length; i++) {
                    row.put(names[i], f[i]);
                }
                out.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A number from a TSV cell; the writer's NaN (not valid JSON) becomes 0. */
    private static double num(String s) {
        double v = Double.parseDouble(s);
        return Double.isFinite(v) ? v : 0;
    }
}

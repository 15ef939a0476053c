package io.scgrn.app.batch;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The record of one task run, written as {@code task.json} in the task's folder: what ran (version, parameters,
 * seed, device, input checksum), how long each phase took and how it ended. A rerun reuses the task only when this
 * says {@code ok}, the canonical parameters are identical and the input still has the same checksum.
 *
 * @param id              task id
 * @param folder          folder name under {@code tasks/}
 * @param canonical       the normalised parameters the id hashes
 * @param dataset         dataset name
 * @param input           absolute input path when run
 * @param fingerprint     the input's fingerprint (size, mtime, sha256), or null when it could not be read
 * @param model           model name
 * @param params          hyper-parameters
 * @param seed            seed
 * @param device          requested device
 * @param deviceUsed      device the pipeline reports it used, or null
 * @param scgrnVersion    scgrn version that ran the task
 * @param status          outcome
 * @param exitCode        the CLI exit code this outcome maps to (0, 1, 4, 5, 130)
 * @param error           one-line error, or null
 * @param started         start time
 * @param finished        end time
 * @param seconds         wall seconds
 * @param phaseSeconds    seconds per pipeline phase, in order
 * @param nEdges          edges in network.tsv (-1 when unknown)
 * @param epochs          training epochs recorded in loss.tsv
 */
public record TaskManifest(String id, String folder, String canonical, String dataset, String input,
                           InputFingerprint fingerprint, String model, Map<String, String> params, long seed, String device,
                           String deviceUsed, String scgrnVersion, TaskStatus status, int exitCode, String error,
                           Instant started, Instant finished, double seconds, Map<String, Double> phaseSeconds,
                           long nEdges, int epochs) {
    /** File name inside a task folder. */
    public static final String FILE = "task.json";
    static final String FORMAT = "scgrn-batch-task/1";

    public TaskManifest {
        params = new TreeMap<>(params);
        phaseSeconds = new LinkedHashMap<>(phaseSeconds);
    }

    /** The manifest as JSON (stable key order). */
    public JsonObject toJson() {
        JsonObject j = new JsonObject().put("format", FORMAT).put("id", id).put("folder", folder)
                .put("status", status.label()).put("exit_code", exitCode).put("error", error)
                .put("dataset", dataset).put("input", input);
        if (fingerprint != null) {
            j.put("input_size", fingerprint.size()).put("input_mtime_ms", fingerprint.mtimeMillis())
                    .put("input_sha256", fingerprint.sha256());
        }
        JsonObject p = new JsonObject();
        params.forEach(p::put);
        JsonObject ph = new JsonObject();
        phaseSeconds.forEach(ph::put);
        return j.put("model", model).put("params", p).put("seed", seed).put("device", device)
                .put("device_used", deviceUsed).put("scgrn_version", scgrnVersion)
                .put("java_version", System.getProperty("java.version"))
                .put("started", started == null ? null : started.toString())
                .put("finished", finished == null ? null : finished.toString()).put("seconds", seconds)
                .put("phase_seconds", ph).put("n_edges", nEdges).put("epochs", epochs).put("canonical", canonical);
    }

    /** Parses {@link #toJson()}'s output. */
    public static TaskManifest fromJson(JsonObject j) {
        if (!FORMAT.equals(j.getString("format"))) {
            throw new IllegalArgumentException("not a " + FORMAT + " manifest");
        }
        InputFingerprint fp = j.getString("input_sha256") == null ? null
                : new InputFingerprint(j.getLong("input_size", -1L), j.getLong("input_mtime_ms", -1L),
                j.getString("input_sha256"));
        Map<String, String> params = new TreeMap<>();
        JsonObject p = j.getJsonObject("params", new JsonObject());
        p.fieldNames().forEach(k -> params.put(k, String.valueOf(p.getValue(k))));
        Map<String, Double> phases = new LinkedHashMap<>();
        JsonObject ph = j.getJsonObject("phase_seconds", new JsonObject());
        ph.fieldNames().forEach(k -> phases.put(k, ph.getDouble(k)));
        return new TaskManifest(j.getString("id"), j.getString("folder"), j.getString("canonical"),
                j.getString("dataset"), j.getString("input"), fp, j.getString("model"), params,
                j.getLong("seed", 0L), j.getString("device"), j.getString("device_used"),
                j.getString("scgrn_version"), TaskStatus.parse(j.getString("status")), j.getInteger("exit_code", 1),
                j.getString("error"), instant(j.getString("started")), instant(j.getString("finished")),
                j.getDouble("seconds", 0.0), phases, j.getLong("n_edges", -1L), j.getInteger("epochs", 0));
    }

    /** Reads {@code dir/task.json}; null when missing or unreadable (a task without a valid manifest is redone). */
    public static TaskManifest read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return fromJson(new JsonObject(Files.readString(f, StandardCharsets.UTF_8)));
        } catch (IOException | DecodeException | IllegalArgumentException | NullPointerException
                 | ClassCastException e) {
            return null;
        }
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}

package io.scgrn.app.batch;

import io.scgrn.app.batch.BatchPlan.DatasetSpec;
import io.scgrn.app.batch.BatchPlan.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One unit of a batch: one dataset × one model × one parameter set × one seed (cell groups are handled inside the
 * pipeline run). The id is a hash of the task's normalised parameters, so the same plan always yields the same ids,
 * which is what makes reruns resumable.
 *
 * @param id        first 12 hex digits of the SHA-256 of {@link #canonical()}
 * @param dataset   the input and how to read it
 * @param model     model name
 * @param params    hyper-parameters, sorted by name
 * @param seed      random seed
 * @param device    requested device ({@code auto}, {@code cpu}, {@code gpu})
 * @param canonical the normalised parameters the id hashes (also stored in the manifest and compared on resume)
 */
public record TaskSpec(String id, DatasetSpec dataset, String model, SortedMap<String, String> params, long seed,
                       String device, String canonical) {
    public TaskSpec {
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }

    /** Folder name under {@code tasks/}: readable and unique ({@code dataset-model-id}). */
    public String folder() {
        return dataset.name() + "-" + model + "-" + id;
    }

    /** Parameters as {@code k=v,k=v} (empty string when none). */
    public String paramsLabel() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** Model with its parameters and seed, for tables: {@code sem epochs=100 seed=0}. */
    public String label() {
        String p = paramsLabel();
        return model + (p.isEmpty() ? "" : " " + p.replace(",", " ")) + " seed=" + seed;
    }

    /**
     * Expands a plan into tasks in plan order: dataset, then model, then grid point (parameters in name order, values
     * in plan order), then seed.
     *
     * @param deviceOverride replaces the plan's default device when not null (per-dataset and per-model devices win)
     * @throws UncheckedIOException when a TF list or prior file cannot be hashed
     */
    public static List<TaskSpec> expand(BatchPlan plan, String deviceOverride) {
        return expand(plan, deviceOverride, null);
    }

    /**
     * As {@link #expand(BatchPlan, String)}; {@code context} (e.g. the checksum of a {@code --config} file whose
     * defaults change the models) is part of every task's id when not null.
     */
    public static List<TaskSpec> expand(BatchPlan plan, String deviceOverride, String context) {
        List<TaskSpec> out = new ArrayList<>();
        String planDevice = deviceOverride != null ? deviceOverride : plan.device();
        for (DatasetSpec d : plan.datasets()) {
            for (ModelSpec m : plan.models()) {
                if (!d.models().isEmpty() && !d.models().contains(m.name())) {
                    continue;
                }
                for (SortedMap<String, String> point : gridPoints(m.grid())) {
                    for (long seed : plan.seeds()) {
                        String device = m.device() != null ? m.device() : d.device() != null ? d.device() : planDevice;
                        out.add(create(plan, d, m.name(), point, seed, device, context));
                    }
                }
            }
        }
        return out;
    }

    /** One task with its id. */
    public static TaskSpec create(BatchPlan plan, DatasetSpec d, String model, Map<String, String> params, long seed,
                                  String device, String context) {
        StringBuilder c = new StringBuilder("scgrn-batch-task/1\n");
        line(c, "context", context);
        Path dir = plan.file().getParent();
        line(c, "dataset", d.name());
        line(c, "input", d.source());
        line(c, "groupby", d.groupby());
        line(c, "layer", d.layer());
        // The TF list and prior change the network, so their content (not just their path) is part of the id.
        line(c, "tfs", content(dir, d.tfs()));
        line(c, "species", d.species());
        line(c, "rna_mod", d.rnaMod());
        line(c, "atac_mod", d.atacMod());
        line(c, "atac", relative(dir, d.atac()));
        line(c, "prior", content(dir, d.prior()));
        d.prep().forEach((k, v) -> line(c, "prep." + k, v));
        line(c, "model", model);
        new TreeMap<>(params).forEach((k, v) -> line(c, "param." + k, v));
        line(c, "seed", Long.toString(seed));
        line(c, "device", device);
        String canonical = c.toString();
        String id = Hashes.sha256(canonical).substring(0, 12);
        return new TaskSpec(id, d, model, new TreeMap<>(params), seed, device, canonical);
    }

    private static void line(StringBuilder c, String key, String value) {
        if (value != null) {
            c.append(key).append('=').append(value.replace("\n", "\\n")).append('\n');
        }
    }

    private static String relative(Path dir, Path p) {
        if (p == null) {
            return null;
        }
        return (dir == null ? p : dir.relativize(p)).toString().replace('\\', '/');
    }

    private static String content(Path dir, Path p) {
        if (p == null) {
            return null;
        }
        try {
            return relative(dir, p) + "@sha256:" + Hashes.sha256(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** Cartesian product of a grid, parameters in name order, values in given order. */
    static List<SortedMap<String, String>> gridPoints(Map<String, List<String>> grid) {
        List<SortedMap<String, String>> points = new ArrayList<>();
        points.add(new TreeMap<>());
        for (Map.Entry<String, List<String>> e : new TreeMap<>(grid).entrySet()) {
            List<SortedMap<String, String>> next = new ArrayList<>();
            for (SortedMap<String, String> p : points) {
                for (String v : e.getValue()) {
                    SortedMap<String, String> q = new TreeMap<>(p);
                    q.put(e.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }
}

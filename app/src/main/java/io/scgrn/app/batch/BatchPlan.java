package io.scgrn.app.batch;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A validated batch plan. Relative paths in the YAML are resolved against the plan file's folder, so a plan and its
 * data can move together.
 *
 * @param file     the plan file
 * @param text     the plan's YAML text, shown verbatim in the report
 * @param title    the plan's {@code name}, or the file stem
 * @param out      the plan's output folder, or null (the CLI then uses {@code --out} or a default)
 * @param datasets datasets in plan order, globs expanded, names unique
 * @param models   models in plan order, each with its parameter grid
 * @param seeds    seeds, at least one
 * @param device   default device for every task ({@code auto}, {@code cpu} or {@code gpu})
 * @param jobs     the plan's parallelism, or null for the CLI default
 */
public record BatchPlan(Path file, String text, String title, Path out, List<DatasetSpec> datasets,
                        List<ModelSpec> models, List<Long> seeds, String device, Integer jobs) {
    public BatchPlan {
        Objects.requireNonNull(file, "file");
        datasets = List.copyOf(datasets);
        models = List.copyOf(models);
        seeds = List.copyOf(seeds);
    }

    /**
     * One input dataset and how to read it.
     *
     * @param name     unique short name (default: the file name without extension)
     * @param path     absolute, normalised path of the input file
     * @param source   the path relative to the plan folder with {@code /} separators: what task ids are built from,
     *                 so that moving plan and data together keeps ids (and resumability)
     * @param groupby  obs column: one network per group (handled inside one pipeline run), or null
     * @param layer    layer to read instead of X, or null
     * @param tfs      file with candidate regulators (one per line), or null
     * @param species  {@code human} or {@code mouse} (bundled TF list), or null for auto-detection
     * @param truth    truth edges (CSV Gene1,Gene2) to score against, or null
     * @param rnaMod   RNA modality name in a .h5mu, or null (auto)
     * @param atacMod  ATAC modality name in a .h5mu, or null (auto)
     * @param atac     paired ATAC .h5ad (matched by barcode), or null
     * @param prior    prior TF → target edges file, or null
     * @param prep     preparation options (name → value as text, e.g. {@code n-top-genes}), possibly empty
     * @param device   device for this dataset's tasks, or null (plan default)
     * @param models   names of the plan's models to run on this dataset; empty: all of them
     * @param line     YAML line of the entry, for messages
     */
    public record DatasetSpec(String name, Path path, String source, String groupby, String layer, Path tfs,
                              String species, Path truth, String rnaMod, String atacMod, Path atac, Path prior,
                              Map<String, String> prep, String device, List<String> models, int line) {
        public DatasetSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            prep = Collections.unmodifiableSortedMap(new TreeMap<>(prep));
            models = List.copyOf(models);
        }
    }

    /**
     * A model with its parameter grid.
     *
     * @param name   model name as {@code scgrn infer --model} takes it
     * @param grid   parameter name → candidate values (a scalar is a one-value list), names sorted; the tasks use the
     *               cartesian product
     * @param device device for this model's tasks, or null (dataset or plan default)
     * @param line   YAML line of the entry, for messages
     */
    public record ModelSpec(String name, Map<String, List<String>> grid, String device, int line) {
        public ModelSpec {
            Objects.requireNonNull(name, "name");
            TreeMap<String, List<String>> sorted = new TreeMap<>();
            grid.forEach((k, v) -> sorted.put(k, List.copyOf(v)));
            grid = Collections.unmodifiableSortedMap(sorted);
        }
    }
}

package io.scgrn.app.batch;

import io.scgrn.app.batch.BatchPlan.DatasetSpec;
import io.scgrn.app.batch.BatchPlan.ModelSpec;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads and validates a batch plan. Validation is complete before anything runs: every problem (unknown key with the
 * nearest valid one, missing file, glob matching nothing, bad value, duplicate name) is collected with its YAML line
 * and reported together in one {@link PlanException}.
 *
 * <p>The YAML is read with snakeyaml-engine's composer (node tree with marks) rather than into plain maps, because the
 * marks are what make the messages point at a line.
 */
public final class PlanParser {
    /** Keys allowed at the top of a plan. */
    public static final List<String> TOP_KEYS = List.of("name", "out", "seed", "seeds", "device", "jobs", "tfs",
            "species", "prep", "datasets", "models");
    /** Keys allowed in a dataset entry. */
    public static final List<String> DATASET_KEYS = List.of("path", "name", "groupby", "layer", "tfs", "species",
            "truth", "rna_mod", "atac_mod", "atac", "prior", "prep", "device", "models");
    /** Keys allowed in a model entry. */
    public static final List<String> MODEL_KEYS = List.of("name", "params", "device");
    /** Devices a task may ask for. */
    public static final List<String> DEVICES = List.of("auto", "cpu", "gpu");
    /** Species with a bundled TF list. */
    public static final List<String> SPECIES = List.of("human", "mouse");
    /** A plan expanding to more tasks than this is refused (almost surely a grid typo, and it would not finish). */
    public static final int MAX_TASKS = 10_000;
    /** Plans are small; a bigger file is not a plan (and is not read into memory). */
    static final long MAX_PLAN_BYTES = 1 << 20;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    private final Collection<String> knownModels;

    /**
     * @param knownModels model names a plan may use (for "did you mean" messages); null accepts any name, leaving
     *                    the check to run time
     */
    public PlanParser(Collection<String> knownModels) {
        this.knownModels = knownModels == null ? null : List.copyOf(knownModels);
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws PlanException with every problem found
     */
    public BatchPlan parse(Path file) {
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new PlanException(file, List.of(new PlanProblem(0, "plan file not found")));
            }
            if (Files.size(file) > MAX_PLAN_BYTES) {
                throw new PlanException(file, List.of(new PlanProblem(0, "plan file is larger than 1 MiB: not a plan")));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new PlanException(file, List.of(new PlanProblem(0, "plan file is not UTF-8 text")));
        } catch (IOException e) {
            throw new PlanException(file, List.of(new PlanProblem(0, "cannot read plan file: " + e.getMessage())));
        }
        return parse(file, text);
    }

    /** Validates {@code text} as if read from {@code file} (relative paths resolve against its folder). */
    public BatchPlan parse(Path file, String text) {
        Path abs = file.toAbsolutePath().normalize();
        Run run = new Run(abs);
        BatchPlan plan = run.plan(text);
        if (!run.problems.isEmpty()) {
            List<PlanProblem> sorted = new ArrayList<>(run.problems);
            sorted.sort(Comparator.comparingInt(PlanProblem::line));
            throw new PlanException(file, sorted);
        }
        return plan;
    }

    /** The state of one validation: problems accumulate instead of stopping at the first. */
    private final class Run {
        final Path file;
        final Path dir;
        final List<PlanProblem> problems = new ArrayList<>();

        Run(Path file) {
            this.file = file;
            Path parent = file.getParent();
            this.dir = parent == null ? Path.of("").toAbsolutePath() : parent;
        }

        void problem(Node node, String message) {
            problems.add(new PlanProblem(line(node), message));
        }

        BatchPlan plan(String text) {
            Node root;
            try {
                LoadSettings settings = LoadSettings.builder().setLabel(file.getFileName().toString())
                        .setAllowDuplicateKeys(false).build();
                Optional<Node> composed = new Compose(settings).composeReader(new StringReader(text));
                if (composed.isEmpty()) {
                    problems.add(new PlanProblem(0, "plan is empty: it needs at least 'datasets' and 'models'"));
                    return null;
                }
                root = composed.get();
            } catch (MarkedYamlEngineException e) {
                int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
                String what = e.getProblem() == null ? "invalid YAML" : e.getProblem();
                problems.add(new PlanProblem(line, "invalid YAML: " + what.replace('\n', ' ')));
                return null;
            } catch (YamlEngineException e) {
                problems.add(new PlanProblem(0, "invalid YAML: " + String.valueOf(e.getMessage()).replace('\n', ' ')));
                return null;
            }
            if (!(root instanceof MappingNode top)) {
                problem(root, "a plan is a mapping with keys " + String.join(", ", TOP_KEYS));
                return null;
            }
            Map<String, Node> keys = keys(top, TOP_KEYS, "plan");
            String title = Optional.ofNullable(string(keys.get("name"), "name")).orElse(stem(file));
            String outText = string(keys.get("out"), "out");
            Path out = outText == null ? null : dir.resolve(outText).normalize();
            String device = choice(keys.get("device"), "device", DEVICES);
            Integer jobs = integer(keys.get("jobs"), "jobs", 1, 256);
            List<Long> seeds = seeds(keys.get("seed"), keys.get("seeds"));
            Path tfs = existingFile(keys.get("tfs"), "tfs");
            String species = choice(keys.get("species"), "species", SPECIES);
            if (tfs != null && species != null) {
                problem(keys.get("species"), "give either 'tfs' or 'species', not both");
            }
            Map<String, String> prep = prep(keys.get("prep"), Map.of());
            List<DatasetSpec> datasets = datasets(keys.get("datasets"), tfs, species, prep);
            List<ModelSpec> models = models(keys.get("models"));
            checkModelFilters(datasets, models, keys.get("datasets"));
            if (keys.get("datasets") == null) {
                problem(top, "missing key 'datasets' (a list of input files)");
            }
            if (keys.get("models") == null) {
                problem(top, "missing key 'models' (a list of models, e.g. [{name: pearson}])");
            }
            long nTasks = 0;
            for (DatasetSpec d : datasets) {
                nTasks += seeds.size() * models.stream().filter(m -> d.models().isEmpty()
                        || d.models().contains(m.name())).mapToLong(m -> gridSize(m.grid())).sum();
            }
            if (nTasks > MAX_TASKS) {
                problem(keys.get("models"), "plan expands to " + nTasks + " tasks, more than the " + MAX_TASKS
                        + " allowed: make the grids smaller");
            }
            return new BatchPlan(file, text, title, out, datasets, models, seeds.isEmpty() ? List.of(0L) : seeds,
                    device == null ? "auto" : device, jobs);
        }

        /** Keys of a mapping; unknown and duplicate keys are problems (with the nearest valid key). */
        Map<String, Node> keys(MappingNode node, List<String> allowed, String where) {
            Map<String, Node> out = new LinkedHashMap<>();
            Map<String, Integer> lines = new HashMap<>();
            for (NodeTuple t : node.getValue()) {
                Node k = t.getKeyNode();
                if (!(k instanceof ScalarNode ks)) {
                    problem(k, "keys in " + where + " must be plain names");
                    continue;
                }
                String key = ks.getValue();
                if (!allowed.contains(key)) {
                    String near = nearest(key, allowed);
                    problem(k, "unknown key '" + key + "' in " + where
                            + (near != null ? " (did you mean '" + near + "'?)" : "; valid keys: " + String.join(", ", allowed)));
                    continue;
                }
                if (lines.containsKey(key)) {
                    problem(k, "duplicate key '" + key + "' (first on line " + lines.get(key) + ")");
                    continue;
                }
                lines.put(key, line(k));
                out.put(key, t.getValueNode());
            }
            return out;
        }

        List<DatasetSpec> datasets(Node node, Path defaultTfs, String defaultSpecies, Map<String, String> prep) {
            List<DatasetSpec> out = new ArrayList<>();
            if (node == null) {
                return out;
            }
            if (!(node instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
                problem(node, "'datasets' must be a non-empty list of paths or {path: ...} entries");
                return out;
            }
            Map<String, Integer> names = new HashMap<>();
            for (Node item : seq.getValue()) {
                for (DatasetSpec d : dataset(item, defaultTfs, defaultSpecies, prep)) {
                    Integer first = names.putIfAbsent(d.name(), d.line());
                    if (first != null) {
                        problem(item, "dataset name '" + d.name() + "' is already used on line " + first
                                + ": give this entry its own 'name'");
                    } else {
                        out.add(d);
                    }
                }
            }
            return out;
        }

        List<DatasetSpec> dataset(Node item, Path defaultTfs, String defaultSpecies,
                                  Map<String, String> defaultPrep) {
            Map<String, Node> keys;
            Node pathNode;
            if (item instanceof ScalarNode) {
                keys = Map.of();
                pathNode = item;
            } else if (item instanceof MappingNode m) {
                keys = keys(m, DATASET_KEYS, "dataset");
                pathNode = keys.get("path");
                if (pathNode == null) {
                    problem(item, "dataset entry needs 'path' (a file or a glob)");
                    return List.of();
                }
            } else {
                problem(item, "a dataset is a path or a mapping with 'path'");
                return List.of();
            }
            String pattern = string(pathNode, "path");
            String name = string(keys.get("name"), "name");
            if (name != null && !NAME.matcher(name).matches()) {
                problem(keys.get("name"), "dataset name '" + name + "' may use only letters, digits, '.', '_', '-'");
                name = null;
            }
            String groupby = string(keys.get("groupby"), "groupby");
            String layer = string(keys.get("layer"), "layer");
            Path tfs = existingFile(keys.get("tfs"), "tfs");
            String species = choice(keys.get("species"), "species", SPECIES);
            if (tfs != null && species != null) {
                problem(keys.get("species"), "give either 'tfs' or 'species', not both");
            }
            if (tfs == null && species == null) {
                tfs = defaultTfs;
                species = defaultSpecies;
            }
            Path truth = existingFile(keys.get("truth"), "truth");
            String rnaMod = string(keys.get("rna_mod"), "rna_mod");
            String atacMod = string(keys.get("atac_mod"), "atac_mod");
            Path atac = existingFile(keys.get("atac"), "atac");
            Path prior = existingFile(keys.get("prior"), "prior");
            Map<String, String> prep = prep(keys.get("prep"), defaultPrep);
            String device = choice(keys.get("device"), "device", DEVICES);
            List<String> only = names(keys.get("models"));
            if (pattern == null) {
                return List.of();
            }
            List<Path> files = expand(pathNode, pattern);
            if (files.size() > 1 && name != null) {
                problem(keys.get("name"), "'name' names one dataset but the glob '" + pattern + "' matches "
                        + files.size() + " files (each takes its file name)");
                return List.of();
            }
            List<DatasetSpec> out = new ArrayList<>();
            for (Path f : files) {
                String n = name != null ? name : safeName(stem(f));
                String source = dir.relativize(f).toString().replace('\\', '/');
                out.add(new DatasetSpec(n, f, source, groupby, layer, tfs, species, truth, rnaMod, atacMod, atac, prior,
                        prep, device, only, line(item)));
            }
            return out;
        }

        /** A path or glob (relative to the plan folder) to the sorted list of regular files it names. */
        List<Path> expand(Node node, String pattern) {
            if (!isGlob(pattern)) {
                Path f = dir.resolve(pattern).normalize();
                if (!Files.exists(f)) {
                    problem(node, "dataset file not found: " + f);
                    return List.of();
                }
                if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                    problem(node, "dataset is not a readable file: " + f);
                    return List.of();
                }
                return List.of(f);
            }
            // Walk from the deepest folder without glob characters; '**' may descend, otherwise only as deep as the
            // pattern has segments.
            String norm = pattern.replace('\\', '/');
            String[] parts = norm.split("/");
            int fixed = 0;
            while (fixed < parts.length - 1 && !isGlob(parts[fixed])) {
                fixed++;
            }
            Path base = dir.resolve(String.join("/", Arrays.copyOfRange(parts, 0, fixed))).normalize();
            String rest = String.join("/", Arrays.copyOfRange(parts, fixed, parts.length));
            int depth = rest.contains("**") ? 32 : parts.length - fixed;
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
            List<Path> found = new ArrayList<>();
            if (Files.isDirectory(base)) {
                try (Stream<Path> s = Files.walk(base, depth)) {
                    s.filter(Files::isRegularFile).filter(p -> matcher.matches(base.relativize(p)))
                            .map(Path::normalize).sorted().forEach(found::add);
                } catch (IOException | UncheckedIOException e) {
                    problem(node, "cannot list " + base + ": " + e.getMessage());
                    return List.of();
                }
            }
            if (found.isEmpty()) {
                problem(node, "glob '" + pattern + "' matches no file (relative to " + dir + ")");
            }
            return found;
        }

        /** A dataset's {@code models}: a name or a list of names (checked against the plan's models later). */
        List<String> names(Node node) {
            if (node == null || isNull(node)) {
                return List.of();
            }
            List<Node> items = node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
            List<String> out = new ArrayList<>();
            for (Node n : items) {
                String v = string(n, "models");
                if (v != null) {
                    out.add(v.toLowerCase(Locale.ROOT));
                }
            }
            if (out.isEmpty() && node instanceof SequenceNode) {
                problem(node, "a dataset's 'models' must name at least one of the plan's models");
            }
            return out;
        }

        /** Every name in a dataset's {@code models} must be a model of the plan. */
        void checkModelFilters(List<DatasetSpec> datasets, List<ModelSpec> models, Node datasetsNode) {
            List<String> names = models.stream().map(ModelSpec::name).distinct().toList();
            Set<String> reported = new HashSet<>();
            for (DatasetSpec d : datasets) {
                for (String m : d.models()) {
                    if (!names.contains(m) && !names.isEmpty() && reported.add(d.line() + m)) {
                        String near = nearest(m, names);
                        problems.add(new PlanProblem(d.line(), "dataset '" + d.name() + "' lists model '" + m
                                + "', which is not in the plan's models" + (near != null ? " (did you mean '" + near
                                + "'?)" : "; plan models: " + String.join(", ", names))));
                    }
                }
            }
        }

        List<ModelSpec> models(Node node) {
            List<ModelSpec> out = new ArrayList<>();
            if (node == null) {
                return out;
            }
            if (!(node instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
                problem(node, "'models' must be a non-empty list of names or {name: ..., params: {...}} entries");
                return out;
            }
            Map<String, Integer> seen = new HashMap<>();
            for (Node item : seq.getValue()) {
                ModelSpec m = model(item);
                if (m == null) {
                    continue;
                }
                String key = m.name() + " " + m.grid() + " " + m.device();
                Integer first = seen.putIfAbsent(key, m.line());
                if (first != null) {
                    problem(item, "model entry repeats the one on line " + first);
                } else {
                    out.add(m);
                }
            }
            return out;
        }

        ModelSpec model(Node item) {
            Map<String, Node> keys;
            Node nameNode;
            if (item instanceof ScalarNode) {
                keys = Map.of();
                nameNode = item;
            } else if (item instanceof MappingNode m) {
                keys = keys(m, MODEL_KEYS, "model");
                nameNode = keys.get("name");
                if (nameNode == null) {
                    problem(item, "model entry needs 'name'");
                    return null;
                }
            } else {
                problem(item, "a model is a name or a mapping with 'name' and 'params'");
                return null;
            }
            String name = string(nameNode, "name");
            if (name != null) {
                name = name.toLowerCase(Locale.ROOT);
                if (knownModels != null && !knownModels.contains(name)) {
                    String near = nearest(name, knownModels);
                    problem(nameNode, "unknown model '" + name + "'" + (near != null ? " (did you mean '" + near
                            + "'?)" : "; known models: " + String.join(", ", knownModels)));
                    name = null;
                }
            }
            Map<String, List<String>> grid = new TreeMap<>();
            Node params = keys.get("params");
            if (params != null && !isNull(params)) {
                if (!(params instanceof MappingNode pm)) {
                    problem(params, "'params' must be a mapping of parameter name to a value or a list of values");
                } else {
                    Map<String, Integer> lines = new HashMap<>();
                    for (NodeTuple t : pm.getValue()) {
                        String p = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                        if (p == null || !PARAM_NAME.matcher(p).matches()) {
                            problem(t.getKeyNode(), "bad parameter name" + (p == null ? "" : " '" + p + "'"));
                            continue;
                        }
                        Integer first = lines.putIfAbsent(p, line(t.getKeyNode()));
                        if (first != null) {
                            problem(t.getKeyNode(), "duplicate parameter '" + p + "' (first on line " + first + ")");
                            continue;
                        }
                        List<String> values = values(t.getValueNode(), p);
                        if (values != null) {
                            grid.put(p, values);
                        }
                    }
                }
            }
            String device = choice(keys.get("device"), "device", DEVICES);
            return name == null ? null : new ModelSpec(name, grid, device, line(item));
        }

        /** Preparation options: a mapping of plain values, added to (and overriding) {@code defaults}. */
        Map<String, String> prep(Node node, Map<String, String> defaults) {
            Map<String, String> out = new TreeMap<>(defaults);
            if (node == null || isNull(node)) {
                return out;
            }
            if (!(node instanceof MappingNode m)) {
                problem(node, "'prep' must be a mapping of option name to value (e.g. {n-top-genes: 500})");
                return out;
            }
            for (NodeTuple t : m.getValue()) {
                String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                if (k == null || !PARAM_NAME.matcher(k).matches()) {
                    problem(t.getKeyNode(), "bad preparation option name" + (k == null ? "" : " '" + k + "'"));
                } else if (!(t.getValueNode() instanceof ScalarNode v) || isNull(v)) {
                    problem(t.getValueNode(), "preparation option '" + k + "' must be a single value");
                } else {
                    out.put(k, v.getValue());
                }
            }
            return out;
        }

        /** A parameter's values: a scalar or a non-empty list of distinct scalars. */
        List<String> values(Node node, String param) {
            if (node instanceof ScalarNode s) {
                if (isNull(s)) {
                    problem(s, "parameter '" + param + "' has no value");
                    return null;
                }
                return List.of(s.getValue());
            }
            if (node instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
                List<String> out = new ArrayList<>();
                for (Node v : seq.getValue()) {
                    if (!(v instanceof ScalarNode s) || isNull(s)) {
                        problem(v, "values of parameter '" + param + "' must be plain values");
                        return null;
                    }
                    if (out.contains(s.getValue())) {
                        problem(v, "value '" + s.getValue() + "' of parameter '" + param + "' is listed twice");
                        return null;
                    }
                    out.add(s.getValue());
                }
                return out;
            }
            problem(node, "parameter '" + param + "' must be a value or a non-empty list of values");
            return null;
        }

        List<Long> seeds(Node seed, Node seeds) {
            if (seed != null && seeds != null) {
                problem(seeds, "give either 'seed' or 'seeds', not both");
                return List.of(0L);
            }
            if (seed != null) {
                Long s = longValue(seed, "seed");
                return s == null ? List.of() : List.of(s);
            }
            if (seeds != null) {
                if (!(seeds instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
                    problem(seeds, "'seeds' must be a non-empty list of integers");
                    return List.of();
                }
                List<Long> out = new ArrayList<>();
                for (Node n : seq.getValue()) {
                    Long s = longValue(n, "seeds");
                    if (s != null && out.contains(s)) {
                        problem(n, "seed " + s + " is listed twice");
                    } else if (s != null) {
                        out.add(s);
                    }
                }
                return out;
            }
            return List.of(0L);
        }

        String string(Node node, String key) {
            if (node == null || isNull(node)) {
                return null;
            }
            if (!(node instanceof ScalarNode s)) {
                problem(node, "'" + key + "' must be a single value");
                return null;
            }
            if (s.getValue().isBlank()) {
                problem(node, "'" + key + "' is empty");
                return null;
            }
            return s.getValue();
        }

        String choice(Node node, String key, List<String> allowed) {
            String v = string(node, key);
            if (v == null) {
                return null;
            }
            String lower = v.toLowerCase(Locale.ROOT);
            if (!allowed.contains(lower)) {
                problem(node, "'" + key + "' must be one of " + String.join(", ", allowed) + ", not '" + v + "'");
                return null;
            }
            return lower;
        }

        Long longValue(Node node, String key) {
            String v = string(node, key);
            if (v == null) {
                if (node != null && isNull(node)) {
                    problem(node, "'" + key + "' has no value");
                }
                return null;
            }
            try {
                long x = Long.parseLong(v.trim());
                if (x < 0) {
                    problem(node, "'" + key + "' must be a non-negative integer, not " + v);
                    return null;
                }
                return x;
            } catch (NumberFormatException e) {
                problem(node, "'" + key + "' must be an integer, not '" + v + "'");
                return null;
            }
        }

        Integer integer(Node node, String key, int min, int max) {
            Long v = longValue(node, key);
            if (v == null) {
                return null;
            }
            if (v < min || v > max) {
                problem(node, "'" + key + "' must be between " + min + " and " + max + ", not " + v);
                return null;
            }
            return v.intValue();
        }

        Path existingFile(Node node, String key) {
            String v = string(node, key);
            if (v == null) {
                return null;
            }
            Path p = dir.resolve(v).normalize();
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                problem(node, "'" + key + "' file not found: " + p);
                return null;
            }
            return p;
        }
    }

    static long gridSize(Map<String, List<String>> grid) {
        long n = 1;
        for (List<String> v : grid.values()) {
            n *= v.size();
        }
        return n;
    }

    static int line(Node node) {
        if (node == null) {
            return 0;
        }
        return node.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** File name without the data extensions (.h5ad, .h5mu, .h5, .gz, .yaml, …). */
    static String stem(Path file) {
        String n = file.getFileName().toString();
        for (String ext : Set.of(".gz", ".h5ad", ".h5mu", ".h5", ".hdf5", ".yaml", ".yml")) {
            if (n.endsWith(ext) && n.length() > ext.length()) {
                n = n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }

    static String safeName(String s) {
        String out = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return out.isEmpty() || !Character.isLetterOrDigit(out.charAt(0)) ? "d" + out : out;
    }

    /** The allowed word closest to {@code word} when close enough to be a typo, else null. */
    static String nearest(String word, Collection<String> allowed) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = distance(word.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = a;
            }
        }
        int limit = Math.max(1, Math.min(3, word.length() / 3 + 1));
        return bestD <= limit ? best : null;
    }

    /** Damerau-style edit distance (insert, delete, substitute, swap adjacent). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

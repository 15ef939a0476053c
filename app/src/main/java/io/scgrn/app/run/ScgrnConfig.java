package io.scgrn.app.run;

import io.scgrn.app.errors.BadRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * scgrn's settings: the defaults embedded in the jar (copied from {@code configs/scgrn-defaults.yaml} at build time,
 * so the embedded defaults are exactly what that file documents), optionally overridden by a user file
 * ({@code --config FILE}) whose keys are merged over them. Sections: {@code infer}, {@code prepare},
 * {@code models.<name>}, {@code server}.
 *
 * @param tree the merged YAML document (nested maps with scalar leaves)
 */
public record ScgrnConfig(Map<String, Object> tree) {
    /** Class-path location of the embedded defaults. */
    public static final String RESOURCE = "/scgrn-defaults.yaml";

    private static final Set<String> SECTIONS = Set.of("infer", "prepare", "models", "server", "batch");

    public ScgrnConfig {
        tree = Map.copyOf(tree);
    }

    /** The embedded defaults. */
    public static ScgrnConfig embedded() {
        try (InputStream in = ScgrnConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("embedded defaults " + RESOURCE + " missing from the class path");
            }
            return new ScgrnConfig(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read embedded defaults " + RESOURCE, e);
        }
    }

    /** The embedded defaults with {@code file}'s keys merged over them; {@code file} null gives the defaults. */
    public static ScgrnConfig load(Path file) {
        ScgrnConfig base = embedded();
        if (file == null) {
            return base;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadRequestException("config", "cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, Object> user = parse(text, file.toString());
        for (String k : user.keySet()) {
            if (!SECTIONS.contains(k)) {
                throw new BadRequestException("config", file + ": unknown section '" + k + "'; known: "
                        + new TreeSet<>(SECTIONS));
            }
        }
        return new ScgrnConfig(merge(base.tree, user));
    }

    private static Map<String, Object> parse(String text, String name) {
        try {
            Object doc = new Load(LoadSettings.builder().setLabel(name).build()).loadFromString(text);
            if (doc == null) {
                return Map.of();
            }
            if (!(doc instanceof Map<?, ?> m)) {
                throw new BadRequestException("config", name + ": top level must be a mapping");
            }
            return stringKeys(m);
        } catch (YamlEngineException e) {
            throw new BadRequestException("config", name + ": " + e.getMessage().replace('\n', ' '), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object v = e.getValue();
            out.put(String.valueOf(e.getKey()), v instanceof Map<?, ?> sub ? stringKeys(sub) : v);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object b = out.get(e.getKey());
            if (b instanceof Map<?, ?> bm && e.getValue() instanceof Map<?, ?> om) {
                out.put(e.getKey(), merge((Map<String, Object>) bm, (Map<String, Object>) om));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** A section as a map (empty when absent). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String name) {
        Object v = tree.get(name);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** A value by dotted path ({@code server.port}), or {@code def} when absent or null. */
    public String get(String dottedPath, String def) {
        Object v = tree;
        for (String part : dottedPath.split("\\.")) {
            if (!(v instanceof Map<?, ?> m)) {
                return def;
            }
            v = m.get(part);
        }
        return v == null || v instanceof Map<?, ?> ? def : String.valueOf(v);
    }

    /**
     * The defaults of model {@code model} ({@code models.<model>}) with {@code overrides} on top, as text; the full
     * parameter set a run records in its manifest.
     */
    public Map<String, String> modelParams(String model, Map<String, String> overrides) {
        Map<String, String> out = new TreeMap<>();
        Object sec = section("models").get(model);
        if (sec instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v != null) {
                    out.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        out.putAll(overrides);
        return out;
    }

    /** Preparation defaults ({@code prepare}) with {@code overrides} on top, as text. */
    public Map<String, String> prepParams(Map<String, String> overrides) {
        Map<String, String> out = new TreeMap<>();
        section("prepare").forEach((k, v) -> {
            if (v != null && !(v instanceof Map<?, ?>)) {
                out.put(k, String.valueOf(v));
            }
        });
        out.putAll(overrides);
        return out;
    }
}

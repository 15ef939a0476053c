package io.scgrn.models.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The per-dataset table of published scores in a benchmarks folder's {@code README.md}: rows
 * {@code | dataset | a / b / s | ... |} under a header whose cells start with the tool name. Nothing is bundled:
 * when the README is absent the runner simply has no published numbers to compare with.
 *
 * @param byDataset dataset → tool (lower-case, as in the header: pearson, grnboost2, genie3, deepsem) → score
 * @param tools     tools in header order
 */
public record PublishedScores(Map<String, Map<String, Published>> byDataset, List<String> tools) {

    /** One published cell: EPR, AUPRC ratio and seconds. */
    public record Published(double epr, double auprcRatio, double seconds) {
    }

    public PublishedScores {
        byDataset = Collections.unmodifiableMap(new LinkedHashMap<>(byDataset));
        tools = List.copyOf(tools);
    }

    public static PublishedScores none() {
        return new PublishedScores(Map.of(), List.of());
    }

    /** Published score of {@code tool} on {@code dataset}, if any. */
    public Optional<Published> get(String dataset, String tool) {
        return Optional.ofNullable(byDataset.getOrDefault(dataset, Map.of()).get(tool));
    }

    /** Parses the README of a benchmarks folder; an absent or unparsable README gives {@link #none()}. */
    public static PublishedScores read(Path readme) {
        if (!Files.isRegularFile(readme)) {
            return none();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(readme);
        } catch (IOException e) {
            return none();
        }
        Map<String, Map<String, Published>> out = new LinkedHashMap<>();
        List<String> allTools = new ArrayList<>();
        List<String> tools = null;
        for (String line : lines) {
            String t = line.trim();
            if (!t.startsWith("|")) {
                tools = null;
                continue;
            }
            String[] cells = t.substring(1, t.endsWith("|") ? t.length() - 1 : t.length()).split("\\|", -1);
            if (cells[0].trim().equals("dataset")) {
                tools = new ArrayList<>();
                for (int i = 1; i < cells.length; i++) {
                    String c = cells[i].trim();
                    int sp = c.indexOf(' ');
                    tools.add((sp < 0 ? c : c.substring(0, sp)).toLowerCase(Locale.ROOT));
                }
                for (String tool : tools) {
                    if (!allTools.contains(tool)) {
                        allTools.add(tool);
                    }
                }
                continue;
            }
            if (tools == null || cells[0].trim().startsWith("---")) {
                continue;
            }
            String dataset = cells[0].trim();
            Map<String, Published> row = new LinkedHashMap<>();
            for (int i = 1; i < cells.length && i - 1 < tools.size(); i++) {
                String[] parts = cells[i].trim().split("/");
                if (parts.length < 2) {
                    continue;
                }
                try {
                    double epr = Double.parseDouble(parts[0].trim());
                    double apr = Double.parseDouble(parts[1].trim());
                    double sec = parts.length > 2 ? Double.parseDouble(parts[2].trim()) : Double.NaN;
                    row.put(tools.get(i - 1), new Published(epr, apr, sec));
                } catch (NumberFormatException e) {
                    // a dash or free text: that tool was not run on this set
                }
            }
            out.put(dataset, row);
        }
        return new PublishedScores(out, allTools);
    }
}

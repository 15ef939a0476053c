package io.scgrn.models.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command-line and result-file handling the nn benchmarks share ({@link NnBench}, {@link RegDiffBench},
 * {@link TermBench}, {@link LogoBench}, {@link FewTfBench}): which benchmark sets to run, and a TSV of results that
 * a rerun appends to, skipping the (set, candidate) rows it already holds.
 */
final class BenchFiles {
    /** The header of a results TSV. */
    static final String HEADER = "set\tcandidate\tepr\tauprc_ratio\tauroc\tseconds";

    private BenchFiles() {
    }

    /** The sub-folders of {@code root} whose names match {@code regex}, sorted by name. */
    static List<String> sets(Path root, String regex) throws IOException {
        List<String> sets = new ArrayList<>();
        try (var s = Files.list(root)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.matches(regex)).sorted()
                    .forEach(sets::add);
        }
        return sets;
    }

    /**
     * {@code args[from..]}: {@code key=value} pairs go into {@code params}, the other words name sets; without any,
     * every sub-folder of {@code root}.
     */
    static List<String> setsAndParams(String[] args, int from, Path root, Map<String, String> params)
            throws IOException {
        List<String> sets = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            if (args[i].contains("=")) {
                String[] kv = args[i].split("=", 2);
                params.put(kv[0], kv[1]);
            } else {
                sets.add(args[i]);
            }
        }
        return sets.isEmpty() ? sets(root, ".*") : sets;
    }

    /** The lines of a results TSV, or just its header when there is no such file yet. */
    static List<String> rows(Path tsv) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.isRegularFile(tsv)) {
            lines.addAll(Files.readAllLines(tsv));
        } else {
            lines.add(HEADER);
        }
        return lines;
    }

    /** "set\tcandidate" of every line, the header's included. */
    static Set<String> done(List<String> rows) {
        Set<String> done = new HashSet<>();
        for (String l : rows) {
            String[] f = l.split("\t");
            done.add(f[0] + "\t" + f[1]);
        }
        return done;
    }
}

package io.scgrn.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/architecture.md has one accepted cycle ({@code anndata} ↔ {@code anndata.read}); any other
 * cycle among scgrn's packages is a design bug. Reads the compiled classes of io-anndata, graph-models and app with
 * {@code jdeps} and looks for strongly connected packages.
 */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s*(io\\.scgrn[\\w.]*)\\s+->\\s+(io\\.scgrn[\\w.]*)\\s");

    @Test
    void onlyTheDocumentedCycle() {
        List<String> roots = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.matches(".*(io-anndata|graph-models|app)[/\\\\]target[/\\\\](classes|[^/\\\\]*\\.jar)")) {
                roots.add(e);
            }
        }
        assertEquals(3, roots.size(), "compiled classes of the three modules on the class path: " + roots);
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        Map<String, Set<String>> graph = new HashMap<>();
        for (String root : roots) {
            StringWriter out = new StringWriter();
            int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
                    "-filter:none", root);
            assertEquals(0, rc, "jdeps " + root);
            for (String line : out.toString().split("\n")) {
                Matcher m = EDGE.matcher(line);
                if (m.find() && !m.group(1).equals(m.group(2))) {
                    graph.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
                }
            }
        }
        assertTrue(graph.containsKey("io.scgrn.app.run") && graph.containsKey("io.scgrn.models.sim"),
                "jdeps saw the packages: " + graph.keySet());
        List<Set<String>> cycles = cycles(graph);
        assertEquals(List.of(Set.of("io.scgrn.anndata", "io.scgrn.anndata.read")), cycles, "package cycles");
    }

    /** Strongly connected components of more than one package (Tarjan). */
    private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(start)) {
                strongConnect(start, graph, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void strongConnect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                      Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                      List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                strongConnect(w, graph, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}

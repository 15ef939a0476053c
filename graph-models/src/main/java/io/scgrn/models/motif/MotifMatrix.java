package io.scgrn.models.motif;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One position frequency matrix.
 *
 * @param id     database identifier (e.g. {@code MA0004.1})
 * @param name   TF name as the database gives it (e.g. {@code Arnt}, {@code FOS::JUN(var.2)})
 * @param counts counts (or frequencies × sites), {@code [width][4]} in A, C, G, T order
 */
public record MotifMatrix(String id, String name, double[][] counts) {

    public int width() {
        return counts.length;
    }

    /**
     * The TF names this motif stands for, upper-cased: a dimer {@code A::B} names both A and B, a variant suffix
     * {@code (var.2)} is dropped.
     */
    public List<String> tfNames() {
        Set<String> out = new LinkedHashSet<>();
        for (String part : name.split("::")) {
            String n = part.replaceAll("\\(var\\.\\d+\\)", "").trim();
            if (!n.isEmpty()) {
                out.add(n.toUpperCase(Locale.ROOT));
            }
        }
        return new ArrayList<>(out);
    }

    /** Probabilities with a pseudocount {@code pseudo} spread by {@code bg}: (count + pseudo·bg) / (n + pseudo). */
    public double[][] probabilities(double[] bg, double pseudo) {
        double[][] p = new double[counts.length][4];
        for (int i = 0; i < counts.length; i++) {
            double n = 0;
            for (int b = 0; b < 4; b++) {
                n += counts[i][b];
            }
            for (int b = 0; b < 4; b++) {
                p[i][b] = (counts[i][b] + pseudo * bg[b]) / (n + pseudo);
            }
        }
        return p;
    }
}

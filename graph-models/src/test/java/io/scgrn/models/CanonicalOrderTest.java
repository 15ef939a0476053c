package io.scgrn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonicalOrderTest {
    /** {@code cells} × 6 genes named out of order, values drawn from {@code seed}. */
    private static ExpressionMatrix data(int cells, long seed) {
        Random rnd = new Random(seed);
        List<String> genes = List.of("Sox2", "Gata1", "Actb", "Tal1", "Klf1", "Spi1");
        List<String> names = new ArrayList<>();
        float[] v = new float[cells * genes.size()];
        for (int c = 0; c < cells; c++) {
            names.add("AAAC-" + c);
            for (int g = 0; g < genes.size(); g++) {
                v[c * genes.size() + g] = rnd.nextInt(4) == 0 ? 0f : (float) rnd.nextGaussian();
            }
        }
        return new ExpressionMatrix(v, names, genes);
    }

    /** The same data with cells and genes in the orders given (new position → old). */
    static ExpressionMatrix reorder(ExpressionMatrix d, int[] cells, int[] genes) {
        float[] v = new float[d.values().length];
        List<String> cn = new ArrayList<>();
        List<String> gn = new ArrayList<>();
        for (int g : genes) {
            gn.add(d.genes().get(g));
        }
        for (int i = 0; i < cells.length; i++) {
            cn.add(d.cells().get(cells[i]));
            for (int k = 0; k < genes.length; k++) {
                v[i * genes.length + k] = d.get(cells[i], genes[k]);
            }
        }
        return new ExpressionMatrix(v, cn, gn);
    }

    static int[] shuffled(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Test
    void anyOrderOfTheSameDataGivesTheSameMatrix() {
        ExpressionMatrix d = data(50, 3);
        ExpressionMatrix a = CanonicalOrder.of(d);
        ExpressionMatrix b = CanonicalOrder.of(reorder(d, shuffled(50, 1), shuffled(6, 2)));
        assertEquals(List.of("Actb", "Gata1", "Klf1", "Sox2", "Spi1", "Tal1"), a.genes());
        assertEquals(a.genes(), b.genes());
        assertEquals(a.cells(), b.cells());
        assertArrayEquals(a.values(), b.values());
        // the cells' rows travel with their names
        int c = d.cells().indexOf(a.cells().get(0));
        assertEquals(d.get(c, d.genes().indexOf("Actb")), a.get(0, 0));
        assertEquals(d.get(c, d.genes().indexOf("Tal1")), a.get(0, 5));
    }

    @Test
    void cellsAreOrderedByTheirValuesNotTheirNames() {
        ExpressionMatrix d = data(30, 4);
        List<String> renamed = new ArrayList<>();
        for (int c = 0; c < 30; c++) {
            renamed.add("ZZ" + (100 - c) + "-1");
        }
        ExpressionMatrix r = new ExpressionMatrix(d.values(), renamed, d.genes());
        assertArrayEquals(CanonicalOrder.of(d).values(), CanonicalOrder.of(r).values());
    }

    @Test
    void aCanonicalMatrixIsReturnedAsIs() {
        ExpressionMatrix d = data(20, 5);
        ExpressionMatrix a = CanonicalOrder.of(d);
        assertNotSame(d, a);
        assertSame(a, CanonicalOrder.of(a));
    }
}

package io.scgrn.models;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A network as parallel columns, row {@code i} = edge {@code i} in ranking order: the shape of the edge table in
 * an h5ad ({@code uns['grn']}) and of a network sent between processes (Spark). The arrays are owned by the record
 * and not copied; equality is by identity, as for any array.
 *
 * @param tf        regulators
 * @param target    regulated genes
 * @param score     confidences
 * @param sign      +1 / −1 / 0
 * @param stability ensemble stabilities (NaN when none)
 * @param q         q-values (NaN when none)
 */
public record EdgeColumns(String[] tf, String[] target, double[] score, int[] sign, double[] stability, double[] q)
        implements Serializable {
    public EdgeColumns {
        int n = tf.length;
        if (target.length != n || score.length != n || sign.length != n || stability.length != n || q.length != n) {
            throw new IllegalArgumentException("edge columns of different lengths");
        }
    }

    /** The columns of {@code net}'s edges, best first. */
    public static EdgeColumns of(Network net) {
        int n = net.size();
        EdgeColumns c = new EdgeColumns(new String[n], new String[n], new double[n], new int[n], new double[n],
                new double[n]);
        for (int i = 0; i < n; i++) {
            Edge e = net.edges().get(i);
            c.tf[i] = e.tf();
            c.target[i] = e.target();
            c.score[i] = e.score();
            c.sign[i] = e.sign();
            c.stability[i] = e.stability();
            c.q[i] = e.q();
        }
        return c;
    }

    public int size() {
        return tf.length;
    }

    /** The network again (ranked, as {@link Network} always is). */
    public Network toNetwork() {
        List<Edge> edges = new ArrayList<>(tf.length);
        for (int i = 0; i < tf.length; i++) {
            edges.add(new Edge(tf[i], target[i], score[i], sign[i], stability[i], q[i]));
        }
        return new Network(edges);
    }
}

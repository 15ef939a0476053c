package io.scgrn.app.run;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.H5adWriter;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.Edge;
import io.scgrn.models.EdgeColumns;
import io.scgrn.models.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code result.h5ad}: the input's cells (obs, and its 2-D embeddings) × the genes the model used (var, with
 * an {@code is_tf} column), without an expression matrix, plus
 * <ul>
 *   <li>{@code obsm["X_regulon_auc"]}: cells × regulons AUCell activity (when regulons were built), regulon names
 *   in {@code uns["regulon_names"]};</li>
 *   <li>{@code varp["grn"]}: the same edges as a genes × genes CSR matrix, TF row → target column, value = score
 *   × sign (score where the sign is unknown);</li>
 *   <li>{@code uns["grn"]}: the network as a data frame (tf, target, score, sign, stability, q), best first, at most
 *   {@link #MAX_UNS_EDGES} edges (all of them are in network.tsv);</li>
 *   <li>{@code uns["regulons"]}: tf, n_targets, targets (comma-separated);</li>
 *   <li>{@code uns["scgrn"]}: model, version, seed, device.</li>
 * </ul>
 */
public final class ResultH5ad {
    /** Edges stored in uns["grn"]: bounded so the file stays small for networks of millions of pairs. */
    static final int MAX_UNS_EDGES = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(ResultH5ad.class);

    private ResultH5ad() {
    }

    /**
     * @param cells     the input modality (its obs and obsm are carried over)
     * @param genes     genes the model used
     * @param tfs       regulators among them
     * @param network   the network, best first
     * @param regulons  tf → targets (may be empty)
     * @param auc       cells × regulons activity (row-major, rows = cells of {@code cells}), or null
     * @param meta      scalar facts for uns["scgrn"]
     */
    static void write(Path file, AnnData cells, List<String> genes, List<String> tfs, Network network,
                      Map<String, List<String>> regulons, float[] auc, Map<String, Object> meta) {
        write(file, cells, genes, tfs, network, regulons, auc, meta, Map.of(), Map.of());
    }

    /**
     * As above, plus further per-cell matrices (rows = cells of {@code cells}) and uns entries: the multiome step's
     * gene activity and eRegulon activity with their column names.
     */
    static void write(Path file, AnnData cells, List<String> genes, List<String> tfs, Network network,
                      Map<String, List<String>> regulons, float[] auc, Map<String, Object> meta,
                      Map<String, Matrix> extraObsm, Map<String, Object> extraUns) {
        DataFrame obs = new DataFrame(cells.obs().indexName(), cells.obs().index(), writableColumns(cells.obs()));
        Set<String> tfSet = new HashSet<>(tfs);
        boolean[] isTf = new boolean[genes.size()];
        for (int i = 0; i < isTf.length; i++) {
            isTf[i] = tfSet.contains(genes.get(i));
        }
        DataFrame var = new DataFrame("_index", genes, List.of(new Column.Bool("is_tf", isTf, null, "array")));
        H5adWriter w = H5adWriter.of(obs, var);
        for (Map.Entry<String, Matrix> e : cells.obsm().entrySet()) {
            // Embeddings let viewers (scanpy, cellxgene) plot regulon activity at once; bigger obsm are left out.
            if (e.getValue().nRows() == cells.nObs() && e.getValue().nCols() <= 2
                    && e.getValue() instanceof DenseMatrix) {
                w.obsm(e.getKey(), e.getValue());
            }
        }
        if (auc != null && !regulons.isEmpty()) {
            w.obsm("X_regulon_auc", DenseMatrix.ofFloats(cells.nObs(), regulons.size(), auc));
            w.uns("regulon_names", new ArrayList<>(regulons.keySet()));
        }
        Network top = network.top(MAX_UNS_EDGES);
        w.varp("grn", adjacency(top, genes));
        w.uns("grn", edgeTable(EdgeColumns.of(top)));
        if (!regulons.isEmpty()) {
            w.uns("regulons", regulonTable(regulons));
        }
        w.uns("scgrn", meta);
        extraObsm.forEach(w::obsm);
        extraUns.forEach(w::uns);
        w.write(file);
    }

    /** obs columns the writer handles as anndata expects; nullable numbers/bools are left out (logged). */
    private static List<Column> writableColumns(DataFrame df) {
        List<Column> out = new ArrayList<>();
        for (Column c : df.columns()) {
            boolean nullable = c instanceof Column.Numeric n && n.valid() != null
                    || c instanceof Column.Bool b && b.valid() != null;
            if (nullable) {
                LOG.info("result.h5ad: obs column {} ({}) not carried over", c.name(), c.encoding());
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** Genes × genes CSR of the edges whose TF and target are both among {@code genes}. */
    static SparseMatrix adjacency(Network net, List<String> genes) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < genes.size(); i++) {
            index.putIfAbsent(genes.get(i), i);
        }
        int n = genes.size();
        List<List<long[]>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new ArrayList<>());
        }
        int nnz = 0;
        for (Edge e : net.edges()) {
            Integer a = index.get(e.tf());
            Integer b = index.get(e.target());
            if (a != null && b != null) {
                double v = e.sign() == 0 ? e.score() : e.score() * e.sign();
                rows.get(a).add(new long[] {b, Double.doubleToLongBits(v)});
                nnz++;
            }
        }
        long[] indptr = new long[n + 1];
        int[] indices = new int[nnz];
        float[] data = new float[nnz];
        int k = 0;
        for (int i = 0; i < n; i++) {
            List<long[]> r = rows.get(i);
            r.sort((x, y) -> Long.compare(x[0], y[0]));
            for (long[] c : r) {
                indices[k] = (int) c[0];
                data[k] = (float) Double.longBitsToDouble(c[1]);
                k++;
            }
            indptr[i + 1] = k;
        }
        return new SparseMatrix(SparseMatrix.Layout.CSR, n, n, DType.FLOAT32, new NumArray.F32(data), indices,
                indptr);
    }

    /** The edge table of a result h5ad ({@code uns['grn']}): tf, target, score, sign, stability, q; rows 0..n−1. */
    public static DataFrame edgeTable(EdgeColumns c) {
        int n = c.size();
        List<String> index = new ArrayList<>(n);
        float[] sign = new float[n];
        for (int i = 0; i < n; i++) {
            index.add(Integer.toString(i));
            sign[i] = c.sign()[i];
        }
        return new DataFrame("_index", index, List.of(
                new Column.Strings("tf", c.tf(), "string-array"),
                new Column.Strings("target", c.target(), "string-array"),
                new Column.Numeric("score", DType.FLOAT64, new NumArray.F64(c.score()), null, "array"),
                new Column.Numeric("sign", DType.INT8, new NumArray.F32(sign), null, "array"),
                new Column.Numeric("stability", DType.FLOAT64, new NumArray.F64(c.stability()), null, "array"),
                new Column.Numeric("q", DType.FLOAT64, new NumArray.F64(c.q()), null, "array")));
    }

    static DataFrame regulonTable(Map<String, List<String>> regulons) {
        int n = regulons.size();
        String[] tf = new String[n];
        float[] size = new float[n];
        String[] targets = new String[n];
        int i = 0;
        for (Map.Entry<String, List<String>> e : regulons.entrySet()) {
            tf[i] = e.getKey();
            size[i] = e.getValue().size();
            targets[i] = String.join(",", e.getValue());
            i++;
        }
        return new DataFrame("_index", List.of(tf), List.of(
                new Column.Strings("tf", tf, "string-array"),
                new Column.Numeric("n_targets", DType.INT32, new NumArray.F64(toDoubles(size)), null, "array"),
                new Column.Strings("targets", targets, "string-array")));
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static Map<String, Object> meta(String model, String device, long seed, int nEdges) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scgrn_version", Versions.scgrn());
        m.put("model", model);
        m.put("device", device);
        m.put("seed", seed);
        m.put("n_edges", nEdges);
        m.put("n_edges_in_uns", Math.min(nEdges, MAX_UNS_EDGES));
        return m;
    }
}

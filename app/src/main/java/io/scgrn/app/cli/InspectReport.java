package io.scgrn.app.cli;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.MuData;
import io.scgrn.anndata.SparseMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary {@code scgrn inspect} prints, as a tree of maps/lists/scalars (rendered as JSON with {@code --json},
 * or as indented text like anndata's repr): shape per modality, X encoding/dtype/nnz/density, obs/var columns with
 * types and category counts, obsm/varm/obsp/varp/layers/uns keys, raw.
 */
final class InspectReport {
    private InspectReport() {
    }

    /** The whole file: kind, global shape, global obs columns, one entry per modality. */
    static Map<String, Object> of(MuData md) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", md.source() == null ? null : md.source().toString());
        m.put("kind", md.kind());
        m.put("n_obs", md.nObs());
        m.put("n_vars", md.nVars());
        if (!"h5ad".equals(md.kind())) {
            m.put("axis", md.axis());
            m.put("obs", columns(md.obs()));
            m.put("var", columns(md.var()));
            m.put("uns", new ArrayList<>(md.uns().keySet()));
        }
        Map<String, Object> mods = new LinkedHashMap<>();
        md.mod().forEach((name, a) -> mods.put(name, modality(a)));
        m.put("modalities", mods);
        return m;
    }

    static Map<String, Object> modality(AnnData a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n_obs", a.nObs());
        m.put("n_vars", a.nVars());
        m.put("X", a.x() == null ? null : matrix(a.x()));
        m.put("obs", columns(a.obs()));
        m.put("var", columns(a.var()));
        m.put("layers", matrices(a.layers()));
        m.put("obsm", matrices(a.obsm()));
        m.put("varm", matrices(a.varm()));
        m.put("obsp", matrices(a.obsp()));
        m.put("varp", matrices(a.varp()));
        m.put("uns", new ArrayList<>(a.uns().keySet()));
        if (a.raw() != null) {
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("n_obs", a.raw().nObs());
            raw.put("n_vars", a.raw().nVars());
            raw.put("X", a.raw().x() == null ? null : matrix(a.raw().x()));
            raw.put("var", columns(a.raw().var()));
            m.put("raw", raw);
        }
        return m;
    }

    static Map<String, Object> matrix(Matrix x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", List.of(x.nRows(), x.nCols()));
        m.put("encoding", x.encoding());
        m.put("dtype", x.dtype().numpyName());
        long stored = x.nnz();
        m.put("nnz", x instanceof SparseMatrix ? stored : countNonZero(x));
        long cells = (long) x.nRows() * x.nCols();
        m.put("density", cells == 0 ? 0.0 : round4((double) (long) m.get("nnz") / cells));
        return m;
    }

    private static long countNonZero(Matrix dense) {
        long n = 0;
        for (int r = 0; r < dense.nRows(); r++) {
            for (int c = 0; c < dense.nCols(); c++) {
                if (dense.get(r, c) != 0.0) {
                    n++;
                }
            }
        }
        return n;
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static Map<String, Object> matrices(Map<String, Matrix> ms) {
        Map<String, Object> m = new LinkedHashMap<>();
        ms.forEach((k, v) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("shape", List.of(v.nRows(), v.nCols()));
            e.put("encoding", v.encoding());
            e.put("dtype", v.dtype().numpyName());
            m.put(k, e);
        });
        return m;
    }

    static List<Object> columns(DataFrame df) {
        List<Object> out = new ArrayList<>();
        for (Column c : df.columns()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("encoding", c.encoding());
            if (c instanceof Column.Numeric n) {
                m.put("dtype", n.dtype().numpyName());
            } else if (c instanceof Column.Bool) {
                m.put("dtype", "bool");
            } else if (c instanceof Column.Strings) {
                m.put("dtype", "str");
            } else if (c instanceof Column.Categorical k) {
                m.put("dtype", "category");
                m.put("n_categories", k.categories().size());
                m.put("ordered", k.ordered());
            }
            out.add(m);
        }
        return out;
    }

    /** Indented text in the spirit of anndata's repr. */
    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> mods = (Map<String, Object>) r.get("modalities");
        boolean single = "h5ad".equals(r.get("kind"));
        sb.append(r.get("file")).append('\n');
        if (single) {
            Map<String, Object> a = (Map<String, Object>) mods.values().iterator().next();
            sb.append("AnnData object with n_obs × n_vars = ").append(r.get("n_obs")).append(" × ")
                    .append(r.get("n_vars")).append('\n');
            modalityText(sb, a, "    ");
        } else {
            sb.append(kindName((String) r.get("kind"))).append(" object with n_obs × n_vars = ").append(r.get("n_obs"))
                    .append(" × ").append(r.get("n_vars")).append(" (axis ").append(r.get("axis")).append(")\n");
            line(sb, "  ", "obs", columnsText((List<Object>) r.get("obs")));
            line(sb, "  ", "var", columnsText((List<Object>) r.get("var")));
            line(sb, "  ", "uns", quoted((List<Object>) r.get("uns")));
            sb.append("  ").append(mods.size()).append(mods.size() == 1 ? " modality\n" : " modalities\n");
            mods.forEach((name, v) -> {
                Map<String, Object> a = (Map<String, Object>) v;
                sb.append("    ").append(name).append(":\t").append(a.get("n_obs")).append(" × ")
                        .append(a.get("n_vars")).append('\n');
                modalityText(sb, a, "      ");
            });
        }
        return sb.toString();
    }

    private static String kindName(String kind) {
        return kind != null && kind.startsWith("10x") ? "10x Genomics matrix (" + kind + ") as MuData" : "MuData";
    }

    @SuppressWarnings("unchecked")
    private static void modalityText(StringBuilder sb, Map<String, Object> a, String ind) {
        Object x = a.get("X");
        sb.append(ind).append("X: ").append(x == null ? "none" : matrixText((Map<String, Object>) x)).append('\n');
        line(sb, ind, "obs", columnsText((List<Object>) a.get("obs")));
        line(sb, ind, "var", columnsText((List<Object>) a.get("var")));
        for (String k : List.of("layers", "obsm", "varm", "obsp", "varp")) {
            Map<String, Object> ms = (Map<String, Object>) a.get(k);
            List<String> parts = new ArrayList<>();
            ms.forEach((name, v) -> parts.add("'" + name + "' " + shapeText((Map<String, Object>) v)));
            line(sb, ind, k, String.join(", ", parts));
        }
        line(sb, ind, "uns", quoted((List<Object>) a.get("uns")));
        Map<String, Object> raw = (Map<String, Object>) a.get("raw");
        if (raw != null) {
            Object rx = raw.get("X");
            sb.append(ind).append("raw: ").append(raw.get("n_obs")).append(" × ").append(raw.get("n_vars"))
                    .append(", X: ").append(rx == null ? "none" : matrixText((Map<String, Object>) rx)).append('\n');
        }
    }

    private static String matrixText(Map<String, Object> x) {
        return String.format("%s %s, %d stored non-zeros (%.2f%% dense)", x.get("encoding"), x.get("dtype"),
                (Long) x.get("nnz"), 100 * (Double) x.get("density"));
    }

    @SuppressWarnings("unchecked")
    private static String shapeText(Map<String, Object> m) {
        List<Integer> s = (List<Integer>) m.get("shape");
        return "(" + s.get(0) + " × " + s.get(1) + " " + m.get("encoding") + " " + m.get("dtype") + ")";
    }

    @SuppressWarnings("unchecked")
    private static String columnsText(List<Object> cols) {
        List<String> parts = new ArrayList<>();
        for (Object o : cols) {
            Map<String, Object> c = (Map<String, Object>) o;
            String type = c.containsKey("n_categories")
                    ? "category[" + c.get("n_categories") + (Boolean.TRUE.equals(c.get("ordered")) ? ", ordered" : "")
                            + "]"
                    : (String) c.get("dtype");
            parts.add("'" + c.get("name") + "' " + type);
        }
        return String.join(", ", parts);
    }

    private static String quoted(List<Object> keys) {
        List<String> parts = new ArrayList<>();
        keys.forEach(k -> parts.add("'" + k + "'"));
        return String.join(", ", parts);
    }

    private static void line(StringBuilder sb, String ind, String label, String content) {
        if (!content.isEmpty()) {
            sb.append(ind).append(label).append(": ").append(content).append('\n');
        }
    }
}

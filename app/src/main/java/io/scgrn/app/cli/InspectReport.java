package io.scgrn.app.cli;

import io.scgrn.anndata.QcStats;
import io.scgrn.anndata.Summary;
import io.scgrn.models.numerics.Medians;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code scgrn inspect} prints, built from io-anndata's {@link Summary} (read from metadata, so it works for
 * files larger than the heap) as a tree of maps/lists/scalars: rendered as JSON with {@code --json}, or as indented
 * text in the spirit of anndata's repr.
 */
final class InspectReport {
    private InspectReport() {
    }

    /** The whole file: kind, global shape, encodings, one entry per modality. */
    static Map<String, Object> of(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", s.source() == null ? null : s.source().toString());
        m.put("kind", s.kind());
        m.put("n_obs", s.nObs());
        m.put("n_vars", s.nVars());
        if (!"h5ad".equals(s.kind())) {
            m.put("axis", s.axis());
        }
        m.put("uns", s.unsKeys());
        Map<String, Object> mods = new LinkedHashMap<>();
        for (Summary.Modality mod : s.modalities()) {
            mods.put(mod.name(), modality(mod));
        }
        m.put("modalities", mods);
        m.put("encodings", s.encodings());
        return m;
    }

    private static Map<String, Object> modality(Summary.Modality a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n_obs", a.nObs());
        m.put("n_vars", a.nVars());
        m.put("X", a.x() == null ? null : matrix(a.x()));
        m.put("obs", columns(a.obs()));
        m.put("var", columns(a.var()));
        m.put("layers", a.layers());
        m.put("obsm", a.obsm());
        m.put("varm", a.varm());
        m.put("obsp", a.obsp());
        m.put("varp", a.varp());
        m.put("uns", a.unsKeys());
        m.put("raw_n_vars", a.rawNVars() < 0 ? null : a.rawNVars());
        return m;
    }

    private static Map<String, Object> matrix(Summary.MatrixInfo x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", List.of(x.nRows(), x.nCols()));
        m.put("encoding", x.encoding());
        m.put("dtype", x.dtype());
        m.put("nnz", x.nnz());
        m.put("density", Double.isNaN(x.density()) ? null : x.density());
        return m;
    }

    private static List<Object> columns(List<Summary.ColumnInfo> cols) {
        List<Object> out = new ArrayList<>();
        for (Summary.ColumnInfo c : cols) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("type", c.type());
            m.put("dtype", c.dtype());
            m.put("encoding", c.encoding());
            if (c.nCategories() >= 0) {
                m.put("n_categories", c.nCategories());
                m.put("ordered", c.ordered());
            }
            m.put("n_missing", c.nMissing());
            out.add(m);
        }
        return out;
    }

    /** Per-cell and per-gene numbers of one matrix, each as min, median, mean, max. */
    static Map<String, Object> stats(String h5Path, QcStats q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("matrix", h5Path);
        m.put("nnz", q.nnz());
        m.put("non_zero", q.nonZero());
        m.put("cell_totals", summary(q.cellTotals()));
        m.put("cell_detected", summary(Arrays.stream(q.cellDetected()).asDoubleStream().toArray()));
        m.put("gene_totals", summary(q.geneTotals()));
        m.put("gene_detected", summary(Arrays.stream(q.geneDetected()).asDoubleStream().toArray()));
        return m;
    }

    private static Map<String, Object> summary(double[] v) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (v.length == 0) {
            return m;
        }
        m.put("min", Arrays.stream(v).min().getAsDouble());
        m.put("median", Medians.median(v));
        m.put("mean", Arrays.stream(v).sum() / v.length);
        m.put("max", Arrays.stream(v).max().getAsDouble());
        return m;
    }

    /** Indented text. */
    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> mods = (Map<String, Object>) r.get("modalities");
        sb.append(r.get("file")).append('\n');
        if ("h5ad".equals(r.get("kind"))) {
            Map<String, Object> a = (Map<String, Object>) mods.values().iterator().next();
            sb.append("AnnData object with n_obs × n_vars = ").append(r.get("n_obs")).append(" × ")
                    .append(r.get("n_vars")).append('\n');
            modalityText(sb, a, "    ");
        } else {
            String kind = (String) r.get("kind");
            sb.append(kind.startsWith("10x") ? "10x Genomics matrix (" + kind + "), read as MuData" : "MuData")
                    .append(" object with n_obs × n_vars = ").append(r.get("n_obs")).append(" × ")
                    .append(r.get("n_vars")).append('\n');
            line(sb, "  ", "uns", quoted((List<String>) r.get("uns")));
            sb.append("  ").append(mods.size()).append(mods.size() == 1 ? " modality" : " modalities").append('\n');
            mods.forEach((name, v) -> {
                Map<String, Object> a = (Map<String, Object>) v;
                sb.append("    ").append(name).append(":\t").append(a.get("n_obs")).append(" × ")
                        .append(a.get("n_vars")).append('\n');
                modalityText(sb, a, "      ");
            });
        }
        Map<String, String> enc = (Map<String, String>) r.get("encodings");
        List<String> main = new ArrayList<>();
        enc.forEach((path, e) -> {
            // The containers only: element-level encodings are in --json.
            if (path.chars().filter(ch -> ch == '/').count() <= (path.startsWith("/mod/") ? 3 : 1)) {
                main.add((path.equals("/") ? "" : path + " ") + e);
            }
        });
        line(sb, "  ", "encodings", String.join(", ", main));
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void modalityText(StringBuilder sb, Map<String, Object> a, String ind) {
        Map<String, Object> x = (Map<String, Object>) a.get("X");
        sb.append(ind).append("X: ").append(x == null ? "none" : matrixText(x)).append('\n');
        line(sb, ind, "obs", columnsText((List<Object>) a.get("obs")));
        line(sb, ind, "var", columnsText((List<Object>) a.get("var")));
        for (String k : List.of("layers", "obsm", "varm", "obsp", "varp", "uns")) {
            line(sb, ind, k, quoted((List<String>) a.get(k)));
        }
        if (a.get("raw_n_vars") != null) {
            sb.append(ind).append("raw: ").append(a.get("raw_n_vars")).append(" vars\n");
        }
    }

    private static String matrixText(Map<String, Object> x) {
        Object d = x.get("density");
        return String.format(Locale.ROOT, "%s %s, %,d stored entries%s", x.get("encoding"), x.get("dtype"),
                (Long) x.get("nnz"), d == null ? "" : String.format(Locale.ROOT, " (%.2f%% dense)", 100 * (Double) d));
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
            long na = ((Number) c.get("n_missing")).longValue();
            parts.add("'" + c.get("name") + "' " + type + (na > 0 ? " (" + na + " NA)" : ""));
        }
        return String.join(", ", parts);
    }

    private static String quoted(List<String> keys) {
        List<String> parts = new ArrayList<>();
        keys.forEach(k -> parts.add("'" + k + "'"));
        return String.join(", ", parts);
    }

    private static void line(StringBuilder sb, String ind, String label, String content) {
        if (!content.isEmpty()) {
            sb.append(ind).append(label).append(": ").append(content).append('\n');
        }
    }

    /** The stats table of one matrix. */
    @SuppressWarnings("unchecked")
    static String statsText(String modality, Map<String, Object> stats) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "stats of %s (%s): %,d stored entries, %,d non-zero%n", modality,
                stats.get("matrix"), (Long) stats.get("nnz"), (Long) stats.get("non_zero")));
        sb.append(String.format(Locale.ROOT, "  %-14s %12s %12s %12s %12s%n", "", "min", "median", "mean", "max"));
        for (String k : List.of("cell_totals", "cell_detected", "gene_totals", "gene_detected")) {
            Map<String, Object> s = (Map<String, Object>) stats.get(k);
            if (!s.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "  %-14s %12.6g %12.6g %12.6g %12.6g%n", k.replace('_', ' '),
                        s.get("min"), s.get("median"), s.get("mean"), s.get("max")));
            }
        }
        return sb.toString();
    }
}

package io.scgrn.anndata.read;

import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.NumArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Conversions between decoded elements and columns / category labels. */
final class Columns {
    private Columns() {
    }

    /** A decoded element as a dataframe column named {@code name}, or an exception naming {@code path}. */
    static Column toColumn(ReadContext ctx, String path, String name, Object value) {
        if (value instanceof Column c) {
            return rename(c, name);
        }
        if (value instanceof DenseMatrix m && m.nCols() == 1) {
            return new Column.Numeric(name, m.dtype(), m.values(), null, "array");
        }
        throw ctx.fail(path, "not a dataframe column: " + describe(value));
    }

    static Column rename(Column c, String name) {
        if (c.name().equals(name)) {
            return c;
        }
        if (c instanceof Column.Numeric n) {
            return new Column.Numeric(name, n.dtype(), n.values(), n.valid(), n.encoding());
        }
        if (c instanceof Column.Bool b) {
            return new Column.Bool(name, b.values(), b.valid(), b.encoding());
        }
        if (c instanceof Column.Strings s) {
            return new Column.Strings(name, s.values(), s.encoding());
        }
        Column.Categorical k = (Column.Categorical) c;
        return new Column.Categorical(name, k.codes(), k.categories(), k.ordered(), k.categoryDtype(), k.encoding());
    }

    /** Category labels: strings as they are, numbers as decimal strings (integers without a fraction). */
    static List<String> labels(ReadContext ctx, String path, Object value) {
        Column c = toColumn(ctx, path, "categories", value);
        List<String> out = new ArrayList<>(c.length());
        if (c instanceof Column.Strings s) {
            out.addAll(Arrays.asList(s.values()));
        } else if (c instanceof Column.Numeric n) {
            NumArray v = n.values();
            for (int i = 0; i < v.length(); i++) {
                out.add(numberLabel(n.dtype(), v.get(i)));
            }
        } else if (c instanceof Column.Bool b) {
            for (boolean v : b.values()) {
                out.add(v ? "True" : "False");
            }
        } else {
            throw ctx.fail(path, "categories cannot themselves be categorical");
        }
        return out;
    }

    static DType labelDtype(Object value) {
        if (value instanceof Column.Numeric n) {
            return n.dtype();
        }
        if (value instanceof Column.Bool) {
            return DType.BOOL;
        }
        return DType.STRING;
    }

    private static String numberLabel(DType t, double v) {
        if (t.isInteger()) {
            return Long.toString((long) v);
        }
        if (t == DType.FLOAT32) {
            return Float.toString((float) v);
        }
        return Double.toString(v);
    }

    static String describe(Object v) {
        return v == null ? "nothing" : v.getClass().getSimpleName();
    }
}

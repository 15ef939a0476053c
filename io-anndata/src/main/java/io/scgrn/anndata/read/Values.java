package io.scgrn.anndata.read;

import io.scgrn.anndata.Column;

/** Turns decoded columns into the plain values that {@code uns} holds. */
final class Values {
    private Values() {
    }

    /** Numeric columns become NumArray, bool columns boolean[], string columns String[]; the rest is unchanged. */
    static Object plain(Object v) {
        if (v instanceof Column.Numeric n && n.valid() == null) {
            return n.values();
        }
        if (v instanceof Column.Bool b && b.valid() == null) {
            return b.values();
        }
        if (v instanceof Column.Strings s) {
            return s.values();
        }
        return v;
    }
}

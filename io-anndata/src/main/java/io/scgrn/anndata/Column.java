package io.scgrn.anndata;

import java.util.List;

/** One column of an obs/var {@link DataFrame}. Missing values: NaN, a false {@code valid} flag, -1 code or null. */
public sealed interface Column permits Column.Numeric, Column.Bool, Column.Strings, Column.Categorical {
    String name();

    int length();

    /** The anndata encoding-type the column was stored with (array, categorical, nullable-integer, …). */
    String encoding();

    /**
     * Numbers (int or float; nullable-integer when {@code valid} is non-null: valid[i] false means NA).
     */
    record Numeric(String name, DType dtype, NumArray values, boolean[] valid, String encoding) implements Column {
        @Override
        public int length() {
            return values.length();
        }
    }

    /** Booleans; nullable-boolean when {@code valid} is non-null. */
    record Bool(String name, boolean[] values, boolean[] valid, String encoding) implements Column {
        @Override
        public int length() {
            return values.length;
        }
    }

    /** Strings; a null element is NA (nullable-string-array). */
    record Strings(String name, String[] values, String encoding) implements Column {
        @Override
        public int length() {
            return values.length;
        }
    }

    /**
     * A pandas Categorical: {@code codes[i]} indexes {@code categories}, -1 is NA. Categories that were numbers in
     * the file are held as their decimal strings; {@code categoryDtype} says what they were.
     */
    record Categorical(String name, int[] codes, List<String> categories, boolean ordered, DType categoryDtype,
                       String encoding) implements Column {
        @Override
        public int length() {
            return codes.length;
        }

        /** The category of row i, or null for NA. */
        public String label(int i) {
            int c = codes[i];
            return c < 0 ? null : categories.get(c);
        }
    }
}

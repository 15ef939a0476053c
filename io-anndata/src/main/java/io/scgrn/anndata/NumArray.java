package io.scgrn.anndata;

/**
 * A flat numeric array that keeps values exactly: {@link F32} for float32 and the small integer types,
 * {@link F64} for float64 and 32/64-bit integers (exact up to 2^53).
 */
public sealed interface NumArray permits NumArray.F32, NumArray.F64 {
    int length();

    double get(int i);

    float getFloat(int i);

    /** Bytes held by the backing array. */
    long bytes();

    record F32(float[] values) implements NumArray {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public double get(int i) {
            return values[i];
        }

        @Override
        public float getFloat(int i) {
            return values[i];
        }

        @Override
        public long bytes() {
            return 4L * values.length;
        }
    }

    record F64(double[] values) implements NumArray {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public double get(int i) {
            return values[i];
        }

        @Override
        public float getFloat(int i) {
            return (float) values[i];
        }

        @Override
        public long bytes() {
            return 8L * values.length;
        }
    }
}

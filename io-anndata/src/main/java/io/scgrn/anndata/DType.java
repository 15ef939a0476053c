package io.scgrn.anndata;

/** Element type of an array as stored in the file (numpy dtype names in {@link #numpyName()}). */
public enum DType {
    BOOL("bool"), INT8("int8"), UINT8("uint8"), INT16("int16"), UINT16("uint16"), INT32("int32"), UINT32("uint32"),
    INT64("int64"), UINT64("uint64"), FLOAT32("float32"), FLOAT64("float64"), STRING("str");

    private final String numpyName;

    DType(String numpyName) {
        this.numpyName = numpyName;
    }

    public String numpyName() {
        return numpyName;
    }

    /** True where every value converts to a Java float without loss, so a {@link NumArray.F32} can hold it. */
    public boolean fitsFloat() {
        return this == BOOL || this == INT8 || this == UINT8 || this == INT16 || this == UINT16 || this == FLOAT32;
    }

    public boolean isInteger() {
        return this == INT8 || this == UINT8 || this == INT16 || this == UINT16 || this == INT32 || this == UINT32
                || this == INT64 || this == UINT64;
    }
}

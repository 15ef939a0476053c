package io.scgrn.anndata;

import io.jhdf.WritableDatasetImpl;
import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableNode;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.message.DataSpace;
import io.jhdf.storage.HdfBackingStorage;
import io.jhdf.storage.HdfFileChannel;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * HDF5 types that jhdf 0.13 cannot write by itself but anndata needs.
 *
 * <p>Booleans, written the way h5py and numpy expect them: an HDF5 enumeration over int8 with members FALSE=0 and
 * TRUE=1. jhdf 0.13 writes Java booleans as an 8-bit bitfield, which h5py reads as uint8; anndata then fails on
 * categoricals ({@code ordered} must be a real bool for pandas) and bool columns come back as integers.
 *
 * <p>Empty array attributes (anndata's {@code column-order} of a data frame without columns): jhdf fails on any
 * empty array, so this writes the empty float64 array h5py writes for {@code np.array([])}.
 *
 * <p>jhdf has no public hook for a custom datatype, so this class uses two of its internals, both pinned by
 * {@code H5adWriterTest}: attributes are added straight into the node's (mutable) attribute map as an
 * {@link Attribute} of our own, and datasets get their datatype field replaced before the file is flushed.
 */
final class H5WriteTypes {
    /** HDF5 datatype class number of an enumeration. */
    private static final int ENUM_CLASS = 8;

    private static final Field DATASET_TYPE_FIELD = datasetTypeField();

    private H5WriteTypes() {
    }

    /** Adds an empty 1-D float64 array attribute (what h5py writes for {@code np.array([])}). */
    static void putEmptyArrayAttribute(WritableNode node, String name) {
        node.getAttributes().put(name, new EmptyAttribute(name, node));
    }

    /** Adds a scalar bool attribute ({@code numpy.bool_} in h5py). */
    static void putAttribute(WritableNode node, String name, boolean value) {
        node.getAttributes().put(name, new BoolAttribute(name, node, value));
    }

    /**
     * Retypes a dataset that jhdf created from a {@code boolean[]} (or {@code Boolean}) so that it is written as
     * the h5py bool enumeration; the stored bytes (0/1) are the same.
     */
    static void retype(WritableDataset dataset) {
        if (DATASET_TYPE_FIELD == null) {
            throw new IllegalStateException("this jhdf version has no WritableDatasetImpl.dataType field; "
                    + "bool datasets cannot be written as h5py booleans");
        }
        try {
            DATASET_TYPE_FIELD.set(dataset, BoolType.INSTANCE);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot retype bool dataset " + dataset.getPath(), e);
        }
    }

    private static Field datasetTypeField() {
        try {
            Field f = WritableDatasetImpl.class.getDeclaredField("dataType");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    /** The enumeration datatype: int8 base, two members FALSE=0, TRUE=1 (what h5py creates for numpy.bool_). */
    static final class BoolType extends DataType {
        static final BoolType INSTANCE = new BoolType();

        private BoolType() {
            super(ENUM_CLASS, 1);
        }

        @Override
        public Class<?> getJavaType() {
            return boolean.class;
        }

        @Override
        public Object fillData(ByteBuffer buffer, int[] dimensions, HdfBackingStorage storage) {
            throw new UnsupportedOperationException("write-only datatype");
        }

        /** Datatype message, version 1 (HDF5 file format spec IV.A.2.d, class 8). */
        @Override
        public ByteBuffer toBuffer() {
            ByteBuffer b = ByteBuffer.allocate(38).order(ByteOrder.LITTLE_ENDIAN);
            // class 8 | version 1 << 4; class bits = number of members (2); element size 1 byte
            b.put((byte) (ENUM_CLASS | 0x10)).put((byte) 2).put((byte) 0).put((byte) 0).putInt(1);
            // base type: fixed-point (class 0, version 1), little endian, signed (bit 3), size 1, offset 0, 8 bits
            b.put((byte) 0x10).put((byte) 0x08).put((byte) 0).put((byte) 0).putInt(1)
                    .putShort((short) 0).putShort((short) 8);
            // member names, NUL-terminated and padded to a multiple of 8 bytes (version 1 layout)
            b.put(new byte[] {'F', 'A', 'L', 'S', 'E', 0, 0, 0}).put(new byte[] {'T', 'R', 'U', 'E', 0, 0, 0, 0});
            // member values, one base-type element each
            b.put((byte) 0).put((byte) 1);
            return b.rewind();
        }

        @Override
        public ByteBuffer encodeData(Object data) {
            if (data instanceof Boolean v) {
                return ByteBuffer.wrap(new byte[] {(byte) (v ? 1 : 0)});
            }
            if (data instanceof boolean[] a) {
                byte[] out = new byte[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = (byte) (a[i] ? 1 : 0);
                }
                return ByteBuffer.wrap(out);
            }
            throw new IllegalArgumentException("bool datatype cannot encode " + data.getClass().getSimpleName());
        }

        @Override
        public void writeData(Object data, int[] dimensions, HdfFileChannel channel) {
            channel.write(encodeData(data));
        }
    }

    /** float64 with an encoder that accepts no elements (jhdf's own inspects element 0 and fails). */
    static final class EmptyFloat64Type extends DataType {
        static final EmptyFloat64Type INSTANCE = new EmptyFloat64Type();

        private EmptyFloat64Type() {
            super(1, 8);
        }

        @Override
        public Class<?> getJavaType() {
            return double.class;
        }

        @Override
        public Object fillData(ByteBuffer buffer, int[] dimensions, HdfBackingStorage storage) {
            throw new UnsupportedOperationException("write-only datatype");
        }

        @Override
        public ByteBuffer toBuffer() {
            return FloatingPoint.DOUBLE.toBuffer();
        }

        @Override
        public ByteBuffer encodeData(Object data) {
            return ByteBuffer.allocate(0);
        }
    }

    /** An attribute of shape (0,) and type float64. */
    private record EmptyAttribute(String name, Node node) implements Attribute {
        @Override
        public Node getNode() {
            return node;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public long getSize() {
            return 0;
        }

        @Override
        public long getSizeInBytes() {
            return 0;
        }

        @Override
        public int[] getDimensions() {
            return new int[] {0};
        }

        @Override
        public long[] getDimensionsAsLong() {
            return new long[] {0};
        }

        @Override
        public Object getData() {
            return new double[0];
        }

        @Override
        public Class<?> getJavaType() {
            return double.class;
        }

        @Override
        public boolean isScalar() {
            return false;
        }

        @Override
        public boolean isEmpty() {
            return true;
        }

        @Override
        public ByteBuffer getBuffer() {
            return ByteBuffer.allocate(0);
        }

        @Override
        public DataSpace getDataSpace() {
            return DataSpace.fromObject(new double[0]);
        }

        @Override
        public DataType getDataType() {
            return EmptyFloat64Type.INSTANCE;
        }
    }

    /** A scalar bool attribute carrying {@link BoolType}. */
    private record BoolAttribute(String name, Node node, boolean value) implements Attribute {
        @Override
        public Node getNode() {
            return node;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public long getSize() {
            return 1;
        }

        @Override
        public long getSizeInBytes() {
            return 1;
        }

        @Override
        public int[] getDimensions() {
            return new int[0];
        }

        @Override
        public long[] getDimensionsAsLong() {
            return new long[0];
        }

        @Override
        public Object getData() {
            return value;
        }

        @Override
        public Class<?> getJavaType() {
            return boolean.class;
        }

        @Override
        public boolean isScalar() {
            return true;
        }

        @Override
        public boolean isEmpty() {
            return false;
        }

        @Override
        public ByteBuffer getBuffer() {
            return BoolType.INSTANCE.encodeData(value);
        }

        @Override
        public DataSpace getDataSpace() {
            return DataSpace.fromObject(value);
        }

        @Override
        public DataType getDataType() {
            return BoolType.INSTANCE;
        }
    }
}

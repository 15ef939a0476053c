package io.scgrn.anndata;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.Text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts obs/var {@link DataFrame}s to Arrow. The first column is the index (utf8); numeric columns become
 * int32 / int64 / float32 / float64 vectors by their stored type (nullable integers get nulls), booleans bit
 * vectors, strings utf8, and categoricals int32 indices dictionary-encoded against a utf8 dictionary of the
 * categories (NA codes become nulls; {@code ordered} is kept on the encoding).
 */
public final class ArrowTables {
    private ArrowTables() {
    }

    /**
     * An Arrow table together with the dictionaries its categorical columns refer to. Closing it releases the
     * vectors and the dictionaries.
     *
     * @param root         the vectors, one per column (index first)
     * @param dictionaries the dictionary vectors of the categorical columns, by encoding id
     */
    public record Table(VectorSchemaRoot root, DictionaryProvider.MapDictionaryProvider dictionaries)
            implements AutoCloseable {
        @Override
        public void close() {
            root.close();
            for (long id : dictionaries.getDictionaryIds()) {
                dictionaries.lookup(id).getVector().close();
            }
        }
    }

    /** Builds the table in {@code allocator}; the caller closes the result. */
    public static Table toArrow(DataFrame df, BufferAllocator allocator) {
        List<FieldVector> vectors = new ArrayList<>();
        DictionaryProvider.MapDictionaryProvider dicts = new DictionaryProvider.MapDictionaryProvider();
        try {
            vectors.add(strings(df.indexName(), df.index().toArray(new String[0]), allocator));
            long nextId = 0;
            for (Column c : df.columns()) {
                vectors.add(vector(c, allocator, dicts, nextId++));
            }
            VectorSchemaRoot root = new VectorSchemaRoot(vectors);
            root.setRowCount(df.nRows());
            return new Table(root, dicts);
        } catch (RuntimeException e) {
            vectors.forEach(FieldVector::close);
            for (long id : dicts.getDictionaryIds()) {
                dicts.lookup(id).getVector().close();
            }
            throw e;
        }
    }

    private static FieldVector vector(Column c, BufferAllocator a, DictionaryProvider.MapDictionaryProvider dicts,
                                      long id) {
        if (c instanceof Column.Numeric n) {
            return numeric(n, a);
        }
        if (c instanceof Column.Bool b) {
            BitVector v = new BitVector(b.name(), a);
            v.allocateNew(b.length());
            for (int i = 0; i < b.length(); i++) {
                if (b.valid() != null && !b.valid()[i]) {
                    v.setNull(i);
                } else {
                    v.set(i, b.values()[i] ? 1 : 0);
                }
            }
            v.setValueCount(b.length());
            return v;
        }
        if (c instanceof Column.Strings s) {
            return strings(s.name(), s.values(), a);
        }
        Column.Categorical k = (Column.Categorical) c;
        DictionaryEncoding enc = new DictionaryEncoding(id, k.ordered(), new ArrowType.Int(32, true));
        VarCharVector dict = strings(k.name() + ".categories", k.categories().toArray(new String[0]), a);
        dicts.put(new Dictionary(dict, enc));
        IntVector codes = new IntVector(k.name(), new FieldType(true, new ArrowType.Int(32, true), enc), a);
        codes.allocateNew(k.length());
        for (int i = 0; i < k.length(); i++) {
            if (k.codes()[i] < 0) {
                codes.setNull(i);
            } else {
                codes.set(i, k.codes()[i]);
            }
        }
        codes.setValueCount(k.length());
        return codes;
    }

    private static FieldVector numeric(Column.Numeric n, BufferAllocator a) {
        int len = n.length();
        boolean[] valid = n.valid();
        NumArray v = n.values();
        switch (n.dtype()) {
            case FLOAT32 -> {
                Float4Vector out = new Float4Vector(n.name(), a);
                out.allocateNew(len);
                for (int i = 0; i < len; i++) {
                    if (valid != null && !valid[i]) {
                        out.setNull(i);
                    } else {
                        out.set(i, v.getFloat(i));
                    }
                }
                out.setValueCount(len);
                return out;
            }
            case FLOAT64 -> {
                Float8Vector out = new Float8Vector(n.name(), a);
                out.allocateNew(len);
                for (int i = 0; i < len; i++) {
                    if (valid != null && !valid[i]) {
                        out.setNull(i);
                    } else {
                        out.set(i, v.get(i));
                    }
                }
                out.setValueCount(len);
                return out;
            }
            case INT64, UINT32, UINT64 -> {
                BigIntVector out = new BigIntVector(n.name(), a);
                out.allocateNew(len);
                for (int i = 0; i < len; i++) {
                    if (valid != null && !valid[i]) {
                        out.setNull(i);
                    } else {
                        out.set(i, (long) v.get(i));
                    }
                }
                out.setValueCount(len);
                return out;
            }
            default -> {
                IntVector out = new IntVector(n.name(), a);
                out.allocateNew(len);
                for (int i = 0; i < len; i++) {
                    if (valid != null && !valid[i]) {
                        out.setNull(i);
                    } else {
                        out.set(i, (int) v.get(i));
                    }
                }
                out.setValueCount(len);
                return out;
            }
        }
    }

    private static VarCharVector strings(String name, String[] values, BufferAllocator a) {
        VarCharVector v = new VarCharVector(name, a);
        try {
            v.allocateNew(values.length);
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    v.setNull(i);
                } else {
                    v.setSafe(i, new Text(values[i].getBytes(StandardCharsets.UTF_8)));
                }
            }
            v.setValueCount(values.length);
            return v;
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
    }

}

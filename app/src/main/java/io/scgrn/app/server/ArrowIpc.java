package io.scgrn.app.server;

import io.vertx.core.json.JsonArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Per-cell responses as Arrow IPC streams (media type {@code application/vnd.apache.arrow.stream}): one record
 * batch of float32 or int32 columns, one row per cell. Categorical values travel as int32 codes (-1 = missing) with
 * the categories as a JSON array in the schema metadata key {@code categories}; browsers decode this without a
 * dictionary batch.
 */
public final class ArrowIpc {
    public static final String MEDIA_TYPE = "application/vnd.apache.arrow.stream";

    private ArrowIpc() {
    }

    /** Float32 columns of equal length, in map order. */
    public static byte[] floats(BufferAllocator parent, Map<String, float[]> columns, Map<String, String> meta) {
        List<Field> fields = new ArrayList<>();
        for (String name : columns.keySet()) {
            fields.add(new Field(name, FieldType.notNullable(
                    new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null));
        }
        try (BufferAllocator a = parent.newChildAllocator("floats", 0, Long.MAX_VALUE);
             VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields, meta), a)) {
            int n = -1;
            for (Map.Entry<String, float[]> e : columns.entrySet()) {
                float[] v = e.getValue();
                n = v.length;
                Float4Vector vec = (Float4Vector) root.getVector(e.getKey());
                vec.allocateNew(v.length);
                for (int i = 0; i < v.length; i++) {
                    vec.set(i, v[i]);
                }
                vec.setValueCount(v.length);
            }
            root.setRowCount(Math.max(n, 0));
            return write(root);
        }
    }

    /** One int32 column {@code code} with the categories in the schema metadata. */
    public static byte[] categorical(BufferAllocator parent, int[] codes, List<String> categories,
                                     Map<String, String> meta) {
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.put("kind", "categorical");
        m.put("categories", new JsonArray(new ArrayList<Object>(categories)).encode());
        List<Field> fields = List.of(new Field("code", FieldType.notNullable(new ArrowType.Int(32, true)), null));
        try (BufferAllocator a = parent.newChildAllocator("codes", 0, Long.MAX_VALUE);
             VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields, m), a)) {
            IntVector vec = (IntVector) root.getVector("code");
            vec.allocateNew(codes.length);
            for (int i = 0; i < codes.length; i++) {
                vec.set(i, codes[i]);
            }
            vec.setValueCount(codes.length);
            root.setRowCount(codes.length);
            return write(root);
        }
    }

    private static byte[] write(VectorSchemaRoot root) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, Channels.newChannel(bos))) {
            w.start();
            w.writeBatch();
            w.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (FieldVector v : root.getFieldVectors()) {
            v.clear();
        }
        return bos.toByteArray();
    }
}

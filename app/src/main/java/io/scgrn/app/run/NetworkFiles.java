package io.scgrn.app.run;

import io.scgrn.models.Edge;
import io.scgrn.models.Network;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes a {@link Network} as the pipeline's edge tables: tab-separated text and an Arrow IPC file, both with the
 * columns {@code tf target score sign stability q}, best edge first. {@code q} is the edge's estimated false-discovery
 * rate (io.scgrn.models.calibration.DecoyCalibration), {@code NaN} when no null could be built.
 */
public final class NetworkFiles {
    /** Column names of both formats, in order. */
    public static final List<String> COLUMNS = List.of("tf", "target", "score", "sign", "stability", "q");

    /** Rows per Arrow record batch: bounded memory for networks of millions of edges. */
    private static final int BATCH_ROWS = 65_536;

    private NetworkFiles() {
    }

    /** Writes {@code network} as TSV with a header line; stability or q NaN is written as {@code NaN}. */
    public static void writeTsv(Network network, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join("\t", COLUMNS));
            w.write('\n');
            for (Edge e : network.edges()) {
                w.write(e.tf());
                w.write('\t');
                w.write(e.target());
                w.write('\t');
                w.write(Double.toString(e.score()));
                w.write('\t');
                w.write(Integer.toString(e.sign()));
                w.write('\t');
                w.write(Double.isNaN(e.stability()) ? "NaN" : Double.toString(e.stability()));
                w.write('\t');
                w.write(Double.isNaN(e.q()) ? "NaN" : Double.toString(e.q()));
                w.write('\n');
            }
        }
    }

    /** The Arrow schema of {@link #writeArrow}: tf, target utf8; score, stability, q float64; sign int8. */
    public static Schema arrowSchema() {
        ArrowType f64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        return new Schema(List.of(
                new Field("tf", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                new Field("target", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                new Field("score", FieldType.notNullable(f64), null),
                new Field("sign", FieldType.notNullable(new ArrowType.Int(8, true)), null),
                new Field("stability", FieldType.nullable(f64), null),
                new Field("q", FieldType.nullable(f64), null)));
    }

    /** Writes {@code network} as an Arrow IPC file (random-access format), in record batches of 65,536 rows. */
    public static void writeArrow(Network network, Path file) throws IOException {
        try (BufferAllocator allocator = new RootAllocator();
             OutputStream out = Files.newOutputStream(file)) {
            writeArrow(network, out, allocator);
        }
    }

    /** As {@link #writeArrow(Network, Path)}, to a stream, with the caller's allocator (closed by the caller). */
    public static void writeArrow(Network network, OutputStream out, BufferAllocator allocator) throws IOException {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(arrowSchema(), allocator);
             ArrowFileWriter writer = new ArrowFileWriter(root, null, Channels.newChannel(out))) {
            VarCharVector tf = (VarCharVector) root.getVector("tf");
            VarCharVector target = (VarCharVector) root.getVector("target");
            Float8Vector score = (Float8Vector) root.getVector("score");
            TinyIntVector sign = (TinyIntVector) root.getVector("sign");
            Float8Vector stability = (Float8Vector) root.getVector("stability");
            Float8Vector q = (Float8Vector) root.getVector("q");
            writer.start();
            List<Edge> edges = network.edges();
            for (int from = 0; from < edges.size() || (from == 0 && edges.isEmpty()); from += BATCH_ROWS) {
                int n = Math.min(BATCH_ROWS, edges.size() - from);
                root.allocateNew();
                for (int i = 0; i < n; i++) {
                    Edge e = edges.get(from + i);
                    tf.setSafe(i, e.tf().getBytes(StandardCharsets.UTF_8));
                    target.setSafe(i, e.target().getBytes(StandardCharsets.UTF_8));
                    score.setSafe(i, e.score());
                    sign.setSafe(i, e.sign());
                    stability.setSafe(i, e.stability());
                    q.setSafe(i, e.q());
                }
                root.setRowCount(n);
                writer.writeBatch();
                if (edges.isEmpty()) {
                    break;
                }
            }
            writer.end();
        }
    }
}

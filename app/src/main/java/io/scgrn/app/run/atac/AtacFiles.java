package io.scgrn.app.run.atac;

import io.scgrn.models.atac.AtacResult;
import io.scgrn.models.atac.GeneLocus;
import io.scgrn.models.atac.GenomicInterval;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.atac.PeakGeneLink;
import io.scgrn.models.atac.Triplet;
import io.scgrn.models.table.TextNumbers;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The multiome outputs: {@code triplets.tsv} and {@code triplets.arrow} (TF, peak, gene and the three scores),
 * {@code peak_gene_links.tsv} (every candidate link), {@code peak_gene_links.bedpe} (significant links as BEDPE,
 * peak → gene TSS, loadable as a UCSC interact/IGV track) and {@code eregulons.tsv}.
 */
public final class AtacFiles {
    public static final String TRIPLETS_TSV = "triplets.tsv";
    public static final String TRIPLETS_ARROW = "triplets.arrow";
    public static final String LINKS_TSV = "peak_gene_links.tsv";
    public static final String LINKS_BEDPE = "peak_gene_links.bedpe";
    public static final String EREGULONS_TSV = "eregulons.tsv";

    /** Triplet columns, in order, of both formats. */
    public static final List<String> TRIPLET_COLUMNS = List.of("tf", "peak", "gene", "tf_peak", "tf_peak_source",
            "peak_gene_r", "peak_gene_z", "tf_gene_r", "distance", "score");

    private static final int BATCH_ROWS = 65_536;

    private AtacFiles() {
    }

    public static void writeTripletsTsv(List<Triplet> triplets, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join("\t", TRIPLET_COLUMNS));
            w.write('\n');
            for (Triplet t : triplets) {
                w.write(String.join("\t", t.tf(), t.peak(), t.gene(), num(t.tfPeak()), t.tfPeakSource(),
                        num(t.peakGene()), num(t.peakGeneZ()), num(t.tfGene()), Long.toString(t.distance()),
                        num(t.score())));
                w.write('\n');
            }
        }
    }

    public static void writeTripletsArrow(List<Triplet> triplets, Path file) throws IOException {
        ArrowType f64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        ArrowType utf8 = ArrowType.Utf8.INSTANCE;
        Schema schema = new Schema(List.of(field("tf", utf8), field("peak", utf8), field("gene", utf8),
                field("tf_peak", f64), field("tf_peak_source", utf8), field("peak_gene_r", f64),
                field("peak_gene_z", f64), field("tf_gene_r", f64), field("distance", new ArrowType.Int(64, true)),
                field("score", f64)));
        try (BufferAllocator allocator = new RootAllocator();
             OutputStream out = Files.newOutputStream(file);
             VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
             ArrowFileWriter writer = new ArrowFileWriter(root, null, Channels.newChannel(out))) {
            writer.start();
            int from = 0;
            do {
                int n = Math.min(BATCH_ROWS, triplets.size() - from);
                root.allocateNew();
                for (int i = 0; i < n; i++) {
                    Triplet t = triplets.get(from + i);
                    str(root, "tf", i, t.tf());
                    str(root, "peak", i, t.peak());
                    str(root, "gene", i, t.gene());
                    ((Float8Vector) root.getVector("tf_peak")).setSafe(i, t.tfPeak());
                    str(root, "tf_peak_source", i, t.tfPeakSource());
                    ((Float8Vector) root.getVector("peak_gene_r")).setSafe(i, t.peakGene());
                    ((Float8Vector) root.getVector("peak_gene_z")).setSafe(i, t.peakGeneZ());
                    ((Float8Vector) root.getVector("tf_gene_r")).setSafe(i, t.tfGene());
                    ((BigIntVector) root.getVector("distance")).setSafe(i, t.distance());
                    ((Float8Vector) root.getVector("score")).setSafe(i, t.score());
                }
                root.setRowCount(n);
                writer.writeBatch();
                from += n;
            } while (from < triplets.size());
            writer.end();
        }
    }

    private static Field field(String name, ArrowType type) {
        return new Field(name, FieldType.notNullable(type), null);
    }

    private static void str(VectorSchemaRoot root, String col, int i, String v) {
        ((VarCharVector) root.getVector(col)).setSafe(i, v.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every candidate link: peak, gene, distance, r, z, p, significant, then the peak's interval (chrom, start,
     * end; 0-based half-open) and the gene's TSS (tss_start, tss_end, strand), which the web UI's genome track
     * draws.
     */
    public static void writeLinksTsv(AtacResult res, Path file) throws IOException {
        MultiomeData d = res.data();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("peak\tgene\tdistance\tr\tz\tp\tsignificant\tchrom\tstart\tend\ttss_start\ttss_end\tstrand\n");
            for (PeakGeneLink l : res.links()) {
                GenomicInterval p = d.peaks().get(l.peak());
                GeneLocus locus = d.loci().get(d.genes().get(l.gene()));
                GenomicInterval tss = locus.tssRegion();
                w.write(String.join("\t", d.peakNames().get(l.peak()), d.genes().get(l.gene()),
                        Long.toString(l.distance()), num(l.r()), num(l.z()), num(l.p()),
                        Boolean.toString(l.significant()), p.chrom(), Long.toString(p.start()),
                        Long.toString(p.end()), Long.toString(tss.start()), Long.toString(tss.end()),
                        locus.strand() > 0 ? "+" : locus.strand() < 0 ? "-" : "."));
                w.write('\n');
            }
        }
    }

    /**
     * Significant links as BEDPE: peak interval, gene TSS (1 base, or the gene body when the strand is unknown),
     * name peak|gene, score = round(1000·|r|), strands ".", then r and z as extra columns.
     */
    public static void writeLinksBedpe(AtacResult res, Path file) throws IOException {
        MultiomeData d = res.data();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("#chrom1\tstart1\tend1\tchrom2\tstart2\tend2\tname\tscore\tstrand1\tstrand2\tr\tz\n");
            for (PeakGeneLink l : res.links()) {
                if (!l.significant()) {
                    continue;
                }
                GenomicInterval p = d.peaks().get(l.peak());
                String gene = d.genes().get(l.gene());
                GeneLocus locus = d.loci().get(gene);
                GenomicInterval tss = locus.tssRegion();
                w.write(String.join("\t", p.chrom(), Long.toString(p.start()), Long.toString(p.end()), tss.chrom(),
                        Long.toString(tss.start()), Long.toString(tss.end()), d.peakNames().get(l.peak()) + "|" + gene,
                        Long.toString(Math.round(1000 * Math.min(1, Math.abs(l.r())))), ".",
                        locus.strand() > 0 ? "+" : locus.strand() < 0 ? "-" : ".", num(l.r()), num(l.z())));
                w.write('\n');
            }
        }
    }

    /** eRegulons: tf, n_genes, genes (comma-separated). */
    public static void writeERegulons(Map<String, List<String>> eRegulons, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("tf\tn_genes\tgenes\n");
            for (Map.Entry<String, List<String>> e : eRegulons.entrySet()) {
                w.write(e.getKey() + "\t" + e.getValue().size() + "\t" + String.join(",", e.getValue()) + "\n");
            }
        }
    }

    private static String num(double v) {
        return TextNumbers.g6(v);
    }
}

package io.scgrn.models.atac;

import io.scgrn.anndata.Column;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.VarNames;
import io.scgrn.models.ModelException;
import io.scgrn.models.table.TableReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gene positions from the sources a multiome run may have: the RNA var table (10x {@code interval}, or
 * chrom/start/end[/strand] columns), a BED file (BED6: chrom, start, end, name, score, strand — CellOracle's
 * {@code *_tss_info.bed} has this shape) or a GTF ({@code gene} lines, {@code gene_name} attribute).
 *
 * <p>No TSS table is bundled: CellOracle's tables carry a non-commercial licence that is not Apache-2.0
 * compatible, so users pass one with {@code --genes}.
 */
public final class GeneAnnotations {
    private static final Pattern GTF_ATTR = Pattern.compile("(\\w+) \"([^\"]*)\"");
    private static final List<String> CHROM_COLS = List.of("chrom", "chr", "chromosome", "seqnames", "gene_chrom");
    private static final List<String> START_COLS = List.of("start", "chromStart", "gene_start", "chrom_start");
    private static final List<String> END_COLS = List.of("end", "chromEnd", "gene_end", "chrom_end");

    private GeneAnnotations() {
    }

    /**
     * Reads a BED or GTF file (chosen by extension: {@code .gtf}/{@code .gtf.gz}, else BED). Where a gene
     * appears on several lines, its loci are merged to the span of all of them (first strand wins).
     *
     * @return gene name → locus, in file order
     */
    public static Map<String, GeneLocus> read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean gtf = name.endsWith(".gtf") || name.endsWith(".gtf.gz") || name.endsWith(".gff")
                || name.endsWith(".gff.gz");
        Map<String, GeneLocus> out = new LinkedHashMap<>();
        try (TableReader r = TableReader.open(file, TableReader.Options.tsv().withoutQuotes().withHashComments())) {
            for (TableReader.Row row; (row = r.next()) != null; ) {
                if (row.field(0).startsWith("track") || row.field(0).startsWith("browser")) {
                    continue;
                }
                String[] f = row.fields().toArray(String[]::new);
                GeneLocus locus = gtf ? gtfLine(f, file, row.line()) : bedLine(f, file, row.line());
                if (locus != null) {
                    out.merge(locus.gene(), locus, GeneAnnotations::span);
                }
            }
        } catch (IOException e) {
            throw new ModelException("genes", file + ": cannot read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new ModelException("genes", file + ": no gene positions found");
        }
        return out;
    }

    private static GeneLocus bedLine(String[] f, Path file, long lineNo) {
        if (f.length < 4) {
            throw new ModelException("genes", file + " line " + lineNo + ": BED needs chrom, start, end, name");
        }
        try {
            long s = Long.parseLong(f[1].trim());
            long e = Long.parseLong(f[2].trim());
            int strand = f.length >= 6 ? strand(f[5]) : 0;
            return new GeneLocus(f[3].trim(), f[0].trim(), s, Math.max(e, s), strand);
        } catch (NumberFormatException ex) {
            throw new ModelException("genes", file + " line " + lineNo + ": start/end not integers");
        }
    }

    private static GeneLocus gtfLine(String[] f, Path file, long lineNo) {
        if (f.length < 9) {
            throw new ModelException("genes", file + " line " + lineNo + ": GTF needs 9 columns");
        }
        if (!f[2].equals("gene") && !f[2].equals("transcript")) {
            return null;
        }
        Matcher m = GTF_ATTR.matcher(f[8]);
        String geneName = null;
        String geneId = null;
        while (m.find()) {
            if (m.group(1).equals("gene_name")) {
                geneName = m.group(2);
            } else if (m.group(1).equals("gene_id")) {
                geneId = m.group(2);
            }
        }
        String gene = geneName != null ? geneName : geneId;
        if (gene == null) {
            return null;
        }
        try {
            // GTF is 1-based inclusive; convert to half-open.
            long s = Long.parseLong(f[3].trim()) - 1;
            long e = Long.parseLong(f[4].trim());
            return new GeneLocus(gene, f[0], Math.max(0, s), e, strand(f[6]));
        } catch (NumberFormatException ex) {
            throw new ModelException("genes", file + " line " + lineNo + ": start/end not integers");
        }
    }

    private static int strand(String s) {
        return switch (s.trim()) {
            case "+" -> 1;
            case "-" -> -1;
            default -> 0;
        };
    }

    private static GeneLocus span(GeneLocus a, GeneLocus b) {
        if (!a.chrom().equals(b.chrom())) {
            return a;
        }
        return new GeneLocus(a.gene(), a.chrom(), Math.min(a.start(), b.start()), Math.max(a.end(), b.end()),
                a.strand());
    }

    /**
     * Gene positions from an RNA var table: an {@code interval} column (10x features, {@code chr1:100-200}) or
     * chrom/start/end columns (aliases chr/chromosome/seqnames, chromStart/gene_start, chromEnd/gene_end) with an
     * optional {@code strand}. Rows without a parsable position are left out.
     *
     * @return gene ({@link VarNames#of}: the var index, or its symbols where it holds stable ids) → locus; empty when
     *         the table has no position columns
     */
    public static Map<String, GeneLocus> fromVar(DataFrame var) {
        Map<String, GeneLocus> out = new LinkedHashMap<>();
        List<String> genes = VarNames.of(var).names();
        Optional<String[]> interval = strings(var, List.of("interval", "intervals", "location"));
        Optional<String[]> chrom = strings(var, CHROM_COLS);
        Optional<double[]> start = numbers(var, START_COLS);
        Optional<double[]> end = numbers(var, END_COLS);
        Optional<String[]> strand = strings(var, List.of("strand"));
        for (int i = 0; i < genes.size(); i++) {
            int st = 0;
            if (strand.isPresent() && strand.get()[i] != null) {
                st = strand(strand.get()[i]);
            }
            GeneLocus locus = null;
            if (chrom.isPresent() && start.isPresent() && end.isPresent()) {
                String c = chrom.get()[i];
                double s = start.get()[i];
                double e = end.get()[i];
                if (c != null && !c.isEmpty() && !Double.isNaN(s) && !Double.isNaN(e) && e >= s && s >= 0) {
                    locus = new GeneLocus(genes.get(i), c, (long) s, (long) e, st);
                }
            }
            if (locus == null && interval.isPresent()) {
                GenomicInterval iv = GenomicInterval.tryParse(interval.get()[i]);
                if (iv != null) {
                    locus = new GeneLocus(genes.get(i), iv.chrom(), iv.start(), iv.end(), st);
                }
            }
            if (locus != null) {
                out.putIfAbsent(genes.get(i), locus);
            }
        }
        return out;
    }

    /** A string-valued column under any of {@code names} (categoricals decoded), or empty. */
    static Optional<String[]> strings(DataFrame df, List<String> names) {
        for (String n : names) {
            Optional<Column> c = df.column(n);
            if (c.isPresent()) {
                Column col = c.get();
                String[] out = new String[col.length()];
                if (col instanceof Column.Strings s) {
                    System.arraycopy(s.values(), 0, out, 0, out.length);
                } else if (col instanceof Column.Categorical cat) {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = cat.label(i);
                    }
                } else if (col instanceof Column.Numeric num) {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = formatNumber(num.values().get(i));
                    }
                } else {
                    continue;
                }
                return Optional.of(out);
            }
        }
        return Optional.empty();
    }

    private static String formatNumber(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** A numeric column (or numeric strings) under any of {@code names}; NaN where missing. */
    static Optional<double[]> numbers(DataFrame df, List<String> names) {
        for (String n : names) {
            Optional<Column> c = df.column(n);
            if (c.isEmpty()) {
                continue;
            }
            Column col = c.get();
            double[] out = new double[col.length()];
            if (col instanceof Column.Numeric num) {
                for (int i = 0; i < out.length; i++) {
                    boolean valid = num.valid() == null || num.valid()[i];
                    out[i] = valid ? num.values().get(i) : Double.NaN;
                }
                return Optional.of(out);
            }
            Optional<String[]> s = strings(df, List.of(n));
            if (s.isPresent()) {
                for (int i = 0; i < out.length; i++) {
                    try {
                        out[i] = s.get()[i] == null ? Double.NaN : Double.parseDouble(s.get()[i].trim());
                    } catch (NumberFormatException e) {
                        out[i] = Double.NaN;
                    }
                }
                return Optional.of(out);
            }
        }
        return Optional.empty();
    }
}

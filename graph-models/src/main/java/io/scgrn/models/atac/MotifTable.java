package io.scgrn.models.atac;

import io.scgrn.anndata.Matrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.table.TableReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TF binding-site evidence per peak (motif scan hits), read from a long TSV (columns {@code peak}, {@code tf},
 * optional {@code score}), a wide TSV (first column peak, one column per TF, non-zero = hit) or an ATAC varm
 * matrix (peaks × TFs). Peaks are matched by name, or by coordinates when names differ in separator
 * ({@code chr1:1-2} vs {@code chr1-1-2}).
 *
 * @param hits peak index → (TF name → score in 0..1]
 */
public record MotifTable(Map<Integer, Map<String, Double>> hits) {
    private static final Logger LOG = LoggerFactory.getLogger(MotifTable.class);

    /** Number of (peak, TF) hits. */
    public int size() {
        return hits.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * Reads a motif file and maps its peaks onto {@code peakNames}.
     *
     * @throws ModelException when the file is malformed, or when more than half of its peaks match no ATAC peak
     *                        (naming how many, with an example)
     */
    public static MotifTable read(Path file, List<String> peakNames, List<GenomicInterval> peaks) {
        Map<String, Integer> byKey = peakKeys(peakNames, peaks);
        Map<Integer, Map<String, Double>> hits = new HashMap<>();
        int rows = 0;
        int unmatched = 0;
        String example = null;
        try (TableReader r = TableReader.open(file, TableReader.Options.tsv())) {
            TableReader.Row headerRow = r.next();
            if (headerRow == null) {
                throw new ModelException("motifs", file + ": empty file");
            }
            String[] h = headerRow.fields().toArray(String[]::new);
            int peakCol = indexOf(h, "peak", "region", "peak_id");
            int tfCol = indexOf(h, "tf", "motif", "tf_name");
            int scoreCol = indexOf(h, "score", "motif_score");
            boolean wide = tfCol < 0;
            if (peakCol < 0) {
                if (wide) {
                    peakCol = 0;
                } else {
                    throw new ModelException("motifs", file + ": header needs a 'peak' column, found: "
                            + String.join("\t", h));
                }
            }
            for (TableReader.Row row; (row = r.next()) != null; ) {
                long lineNo = row.line();
                String[] f = row.fields().toArray(String[]::new);
                if (f.length < h.length) {
                    throw new ModelException("motifs", file + " line " + lineNo + ": " + f.length
                            + " fields, header has " + h.length);
                }
                rows++;
                Integer p = lookup(byKey, f[peakCol]);
                if (p == null) {
                    unmatched++;
                    if (example == null) {
                        example = f[peakCol];
                    }
                    continue;
                }
                if (wide) {
                    for (int c = 0; c < h.length; c++) {
                        if (c == peakCol) {
                            continue;
                        }
                        double v = parse(f[c], file, lineNo);
                        if (v != 0) {
                            hits.computeIfAbsent(p, k -> new HashMap<>()).merge(h[c], Math.abs(v), Math::max);
                        }
                    }
                } else {
                    double v = scoreCol >= 0 ? parse(f[scoreCol], file, lineNo) : 1.0;
                    hits.computeIfAbsent(p, k -> new HashMap<>()).merge(f[tfCol], v, Math::max);
                }
            }
        } catch (IOException e) {
            throw new ModelException("motifs", file + ": cannot read: " + e.getMessage(), e);
        }
        check(file.toString(), rows, unmatched, example, peakNames.size());
        return new MotifTable(normalise(hits));
    }

    /**
     * Motif hits from an ATAC varm matrix (peaks × TFs) whose columns are named {@code tfNames}.
     *
     * @param rowPeaks  the peak name of each matrix row (the ATAC var index, in the file's order)
     * @param peakNames the peaks of the paired data, whose positions the hits are keyed by
     */
    public static MotifTable fromMatrix(Matrix m, List<String> tfNames, List<String> rowPeaks,
                                        List<String> peakNames) {
        if (m.nRows() != rowPeaks.size() || m.nCols() != tfNames.size()) {
            throw new ModelException("motifs", "varm matrix is " + m.nRows() + " x " + m.nCols() + ", expected "
                    + rowPeaks.size() + " peaks x " + tfNames.size() + " TFs");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int p = 0; p < peakNames.size(); p++) {
            index.putIfAbsent(peakNames.get(p), p);
        }
        Map<Integer, Map<String, Double>> hits = new HashMap<>();
        for (int r = 0; r < rowPeaks.size(); r++) {
            Integer p = index.get(rowPeaks.get(r));
            if (p == null) {
                continue;
            }
            for (int t = 0; t < tfNames.size(); t++) {
                double v = m.get(r, t);
                if (v != 0 && !Double.isNaN(v)) {
                    hits.computeIfAbsent(p, k -> new HashMap<>()).put(tfNames.get(t), Math.abs(v));
                }
            }
        }
        return new MotifTable(normalise(hits));
    }

    private static void check(String what, int rows, int unmatched, String example, int nPeaks) {
        if (rows == 0) {
            throw new ModelException("motifs", what + ": no rows");
        }
        if (unmatched * 2 > rows) {
            throw new ModelException("motifs", what + ": " + unmatched + " of " + rows + " rows name a peak not in "
                    + "the ATAC data (" + nPeaks + " peaks), e.g. '" + example + "'");
        }
        if (unmatched > 0) {
            LOG.warn("motifs: {} of {} rows of {} name peaks not in the ATAC data (e.g. '{}'); ignored", unmatched,
                    rows, what, example);
        }
    }

    /** Scores scaled to 0..1 by the largest score, so that motif evidence is comparable to correlations. */
    private static Map<Integer, Map<String, Double>> normalise(Map<Integer, Map<String, Double>> hits) {
        double max = 0;
        for (Map<String, Double> m : hits.values()) {
            for (double v : m.values()) {
                max = Math.max(max, v);
            }
        }
        if (max > 0 && max != 1) {
            final double f = max;
            hits.values().forEach(m -> m.replaceAll((k, v) -> v / f));
        }
        return hits;
    }

    private static Map<String, Integer> peakKeys(List<String> names, List<GenomicInterval> peaks) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.putIfAbsent(names.get(i), i);
            m.putIfAbsent(peaks.get(i).toString(), i);
        }
        return m;
    }

    private static Integer lookup(Map<String, Integer> keys, String name) {
        Integer p = keys.get(name);
        if (p == null) {
            GenomicInterval iv = GenomicInterval.tryParse(name);
            if (iv != null) {
                p = keys.get(iv.toString());
            }
        }
        return p;
    }

    private static int indexOf(String[] h, String... names) {
        for (String n : names) {
            for (int i = 0; i < h.length; i++) {
                if (h[i].trim().equalsIgnoreCase(n)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static double parse(String s, Path file, long lineNo) {
        try {
            return s.isBlank() ? 0 : Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new ModelException("motifs", file + " line " + lineNo + ": '" + s + "' is not a number");
        }
    }

    /** The TFs with at least one hit. */
    public List<String> tfs() {
        return new ArrayList<>(hits.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted()
                .toList());
    }
}

package io.scgrn.models.atac;

import io.scgrn.models.ModelException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A half-open genomic interval {@code [start, end)} on one chromosome, in the coordinates the input used (BED-like;
 * a 1-based {@code chr:start-end} name is kept as written: one base of offset does not matter at the ±100 kb scale
 * at which peaks are linked to genes).
 *
 * @param chrom chromosome name as written ({@code chr1}, {@code 1}, {@code GL000194.1})
 * @param start first base
 * @param end   one past the last base, {@code end >= start}
 */
public record GenomicInterval(String chrom, long start, long end) {
    /** chr:start-end, chr-start-end and chr_start_end; the chromosome may itself contain '.', '_' or '-'. */
    private static final Pattern NAME = Pattern.compile("^(.+?)[:_-]([0-9][0-9,]*)[-_]([0-9][0-9,]*)$");

    public GenomicInterval {
        if (chrom == null || chrom.isEmpty()) {
            throw new IllegalArgumentException("empty chromosome");
        }
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad interval " + chrom + ":" + start + "-" + end);
        }
    }

    /**
     * Parses a peak name or interval string in any of the forms {@code chr1:100-200}, {@code chr1-100-200} and
     * {@code chr1_100_200} (thousands separators allowed).
     *
     * @return the interval, or null when {@code text} has none of these forms
     */
    public static GenomicInterval tryParse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = NAME.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            long s = Long.parseLong(m.group(2).replace(",", ""));
            long e = Long.parseLong(m.group(3).replace(",", ""));
            if (e < s) {
                return null;
            }
            return new GenomicInterval(m.group(1), s, e);
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    /** Like {@link #tryParse} but a text without coordinates is a {@link ModelException} naming {@code field}. */
    public static GenomicInterval parse(String text, String field) {
        GenomicInterval iv = tryParse(text);
        if (iv == null) {
            throw new ModelException(field, "'" + text + "' is not an interval (expected chr:start-end, "
                    + "chr-start-end or chr_start_end)");
        }
        return iv;
    }

    public long length() {
        return end - start;
    }

    /** Middle base, used as the peak's position when measuring distance to a TSS. */
    public long mid() {
        return (start + end) / 2;
    }

    /** Distance from {@code pos} to the nearest base of this interval, 0 when inside. */
    public long distanceTo(long pos) {
        if (pos < start) {
            return start - pos;
        }
        if (pos >= end) {
            return pos - end + 1;
        }
        return 0;
    }

    /** True where the two intervals share at least one base. */
    public boolean overlaps(GenomicInterval o) {
        return chrom.equals(o.chrom) && start < o.end && o.start < end;
    }

    @Override
    public String toString() {
        return chrom + ":" + start + "-" + end;
    }
}

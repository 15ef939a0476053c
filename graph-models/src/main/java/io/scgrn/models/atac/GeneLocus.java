package io.scgrn.models.atac;

/**
 * Where a gene lies: its body and strand. The transcription start site is {@code start} on the + strand and
 * {@code end - 1} on the - strand; with unknown strand (0) the gene body as a whole stands in for the TSS, so
 * that distances are measured to the nearest base of the body.
 *
 * @param gene   gene name as in the RNA var names
 * @param chrom  chromosome
 * @param start  first base of the body (or of the TSS window)
 * @param end    one past the last base
 * @param strand +1, -1 or 0 (unknown)
 */
public record GeneLocus(String gene, String chrom, long start, long end, int strand) {
    public GeneLocus {
        if (end < start) {
            throw new IllegalArgumentException("gene " + gene + ": end " + end + " < start " + start);
        }
        if (strand < -1 || strand > 1) {
            throw new IllegalArgumentException("strand " + strand);
        }
    }

    /** The TSS region: one base when the strand is known, else the whole body. */
    public GenomicInterval tssRegion() {
        if (strand > 0) {
            return new GenomicInterval(chrom, start, start + 1);
        }
        if (strand < 0) {
            return new GenomicInterval(chrom, Math.max(start, end - 1), Math.max(start + 1, end));
        }
        return new GenomicInterval(chrom, start, Math.max(end, start + 1));
    }

    /**
     * Distance from a peak to this gene's TSS region (0 when they overlap), or -1 on another chromosome.
     */
    public long distanceTo(GenomicInterval peak) {
        if (!peak.chrom().equals(chrom)) {
            return -1;
        }
        GenomicInterval t = tssRegion();
        if (peak.end() <= t.start()) {
            return t.start() - peak.end() + 1;
        }
        if (peak.start() >= t.end()) {
            return peak.start() - t.end() + 1;
        }
        return 0;
    }

    /**
     * Gene body extended {@code upstream} bases 5' of the TSS (Signac's gene-activity region: body + 2 kb
     * upstream); with unknown strand both ends are extended.
     */
    public GenomicInterval bodyWithUpstream(long upstream) {
        long s = start;
        long e = end;
        if (strand >= 0) {
            s = Math.max(0, s - upstream);
        }
        if (strand <= 0) {
            e = e + upstream;
        }
        return new GenomicInterval(chrom, s, e);
    }
}

package io.scgrn.models.motif;

import io.scgrn.models.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Scans encoded sequences (A, C, G, T = 0..3, anything else = 4) with log-odds matrices on both strands.
 *
 * <p>{@link #scan} keeps, per (sequence, motif), the best hit's −log10 p-value; {@link #hits} lists every hit of one
 * sequence (for tests and for checking planted sites). Sequences are scanned in parallel in the common fork-join
 * pool; the result does not depend on the number of threads.
 */
public final class MotifScanner {
    private final List<MotifMatrix> motifs;
    private final ScoringMatrix[] matrices;
    private final double[] background;
    private final double pValue;

    /**
     * @param motifs     the database
     * @param background A, C, G, T probabilities (made strand-symmetric here)
     * @param pValue     hit threshold per position and strand, e.g. 1e-4
     */
    public MotifScanner(List<MotifMatrix> motifs, double[] background, double pValue) {
        if (!(pValue > 0 && pValue < 1)) {
            throw new ModelException("motif-p", "must be in (0, 1), not " + pValue);
        }
        this.motifs = List.copyOf(motifs);
        this.background = symmetric(background);
        this.pValue = pValue;
        this.matrices = new ScoringMatrix[motifs.size() * 2];
        IntStream.range(0, motifs.size()).parallel().forEach(i -> {
            ScoringMatrix[] m = ScoringMatrix.of(i, motifs.get(i), this.background, pValue);
            matrices[2 * i] = m[0];
            matrices[2 * i + 1] = m[1];
        });
    }

    public List<MotifMatrix> motifs() {
        return motifs;
    }

    public double[] background() {
        return background.clone();
    }

    public double pValue() {
        return pValue;
    }

    /** Forward (strand 0) or reverse-complement (strand 1) matrix of motif {@code m}. */
    public ScoringMatrix matrix(int m, int strand) {
        return matrices[2 * m + strand];
    }

    /** A, C, G, T frequencies of the sequences, both strands counted (so A = T and C = G), with 1 pseudocount. */
    public static double[] background(byte[][] seqs) {
        long[] n = new long[4];
        for (byte[] s : seqs) {
            for (byte b : s) {
                if (b < 4) {
                    n[b]++;
                }
            }
        }
        double at = n[0] + n[3] + 1;
        double cg = n[1] + n[2] + 1;
        double tot = 2 * (at + cg);
        return new double[] {at / tot, cg / tot, cg / tot, at / tot};
    }

    private static double[] symmetric(double[] bg) {
        double at = (bg[0] + bg[3]) / 2;
        double cg = (bg[1] + bg[2]) / 2;
        double tot = 2 * (at + cg);
        return new double[] {at / tot, cg / tot, cg / tot, at / tot};
    }

    /** One hit: window start (0-based), strand (+1 / −1), integer score and p-value. */
    public record Hit(int motif, int position, int strand, int score, double pValue) {
    }

    /** Every hit of every motif on {@code seq}, by motif, then position, then strand (+ first). */
    public List<Hit> hits(byte[] seq) {
        List<Hit> out = new ArrayList<>();
        for (int m = 0; m < motifs.size(); m++) {
            for (int pos = 0; pos + motifs.get(m).width() <= seq.length; pos++) {
                for (int strand = 0; strand < 2; strand++) {
                    ScoringMatrix sm = matrices[2 * m + strand];
                    int s = sm.score(seq, pos);
                    if (s >= sm.threshold()) {
                        out.add(new Hit(m, pos, strand == 0 ? 1 : -1, s, sm.pValue(s)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The best hit of each motif on each sequence.
     *
     * @param cancelled polled between sequences; when true the scan stops with {@link java.util.concurrent.CancellationException}
     */
    public ScanHits scan(byte[][] seqs, BooleanSupplier cancelled) {
        int chunk = 64;
        int nChunks = (seqs.length + chunk - 1) / chunk;
        ScanHits[] parts = new ScanHits[nChunks];
        ForkJoinPool.commonPool().submit(() -> IntStream.range(0, nChunks).parallel().forEach(c -> {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException("motif scan cancelled");
            }
            parts[c] = scanChunk(seqs, c * chunk, Math.min(seqs.length, (c + 1) * chunk));
        })).join();
        return ScanHits.concat(parts);
    }

    private ScanHits scanChunk(byte[][] seqs, int from, int to) {
        ScanHits.Builder b = new ScanHits.Builder();
        int nm = motifs.size();
        int[] best = new int[nm];
        int[] bestStrandMatrix = new int[nm];
        for (int q = from; q < to; q++) {
            byte[] seq = seqs[q];
            short[] codes = ScoringMatrix.blockCodes(seq);
            Arrays.fill(best, Integer.MIN_VALUE);
            for (int mi = 0; mi < matrices.length; mi++) {
                ScoringMatrix sm = matrices[mi];
                int last = seq.length - sm.width();
                if (last < 0) {
                    continue;
                }
                int[] blocks = sm.blocks();
                int[] off = sm.blockOffset();
                int[] rem = sm.blockRemaining();
                int nb = off.length;
                int top = best[mi >> 1];
                // Only the best window counts: once one is found, a window must beat it.
                int t = top == Integer.MIN_VALUE ? sm.threshold() : Math.max(sm.threshold(), top + 1);
                for (int pos = 0; pos <= last; pos++) {
                    int s = 0;
                    int k = 0;
                    for (; k < nb; k++) {
                        s += blocks[k * ScoringMatrix.CODES + codes[pos + off[k]]];
                        if (s + rem[k + 1] < t) {
                            break;
                        }
                    }
                    if (k == nb) {
                        top = s;
                        t = s + 1;
                    }
                }
                if (top > best[mi >> 1]) {
                    best[mi >> 1] = top;
                    bestStrandMatrix[mi >> 1] = mi;
                }
            }
            for (int m = 0; m < nm; m++) {
                if (best[m] != Integer.MIN_VALUE) {
                    double p = matrices[bestStrandMatrix[m]].pValue(best[m]);
                    b.add(q, m, (float) -Math.log10(Math.max(p, Double.MIN_NORMAL)));
                }
            }
        }
        return b.build();
    }
}

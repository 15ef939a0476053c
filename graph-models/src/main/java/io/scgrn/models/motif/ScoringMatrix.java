package io.scgrn.models.motif;

import java.util.Arrays;

/**
 * A motif's log-odds matrix on an integer grid, with its score threshold for a p-value, ready to scan one strand.
 *
 * <p>Scores are log2(p(base | motif) / p(base | background)), scaled so that the matrix's whole score range spans
 * about {@link #RANGE} integer steps, and shifted so that each column's lowest score is 0. The score of a random
 * background sequence then has an exact distribution over 0..max, computed by dynamic programming over the columns
 * (the FIMO/MOODS approach); the threshold is the smallest integer score whose upper tail probability is at most
 * the p-value. Rounding to the grid changes a p-value by well under 1 % at 10⁻⁴.
 *
 * <p>For scanning, the columns are visited in order of decreasing information and a scan stops as soon as the best
 * score still reachable falls below the threshold (MOODS' look-ahead): most windows are rejected after 2–4
 * columns. An {@code N} (code 4) scores {@link #N_SCORE}, which no window can recover from.
 *
 * @param motif     index of the motif in its database
 * @param reverse   whether this is the reverse-complement matrix (scans the minus strand)
 * @param width     motif width
 * @param table     {@code [k*5 + base]}: score of base (0..3 = A, C, G, T; 4 = N) at the k-th visited column
 * @param offset    {@code [k]}: position of the k-th visited column in the window
 * @param remaining {@code [k]}: the highest score columns k.. can still add (length width + 1, last 0)
 * @param threshold smallest score that is a hit
 * @param tail      {@code tail[s - threshold]} = P(score ≥ s) for s from threshold to the maximum score
 * @param blocks    {@code [k*625 + code]}: summed score of the k-th visited block of 4 window positions for a
 *                  4-mer {@code code} (base-5 digits, first position most significant; see {@link #blockCodes});
 *                  columns past the motif's end score 0
 * @param blockOffset    {@code [k]}: first window position of the k-th visited block
 * @param blockRemaining {@code [k]}: the highest score blocks k.. can still add (last 0)
 */
public record ScoringMatrix(int motif, boolean reverse, int width, int[] table, int[] offset, int[] remaining,
                            int threshold, double[] tail, int[] blocks, int[] blockOffset, int[] blockRemaining) {
    /** Letters per block, and codes per block (5^4: A, C, G, T, N at each position). */
    public static final int BLOCK = 4;
    public static final int CODES = 625;

    /** Integer steps the score range of a matrix is spread over. */
    public static final int RANGE = 4000;
    /** Score of N: low enough that no window containing one reaches a threshold. */
    public static final int N_SCORE = -(1 << 24);
    /** Total pseudocount added to each column, spread by the background (TFBSTools' default). */
    public static final double PSEUDOCOUNT = 0.8;

    /**
     * The forward and reverse-complement scoring matrices of {@code m}.
     *
     * @param bg     background base probabilities A, C, G, T (strand-symmetric: A = T, C = G)
     * @param pValue largest p-value of a hit, per position and strand
     */
    public static ScoringMatrix[] of(int index, MotifMatrix m, double[] bg, double pValue) {
        int w = m.width();
        double[][] p = m.probabilities(bg, PSEUDOCOUNT);
        double[][] lo = new double[w][4];
        double range = 0;
        for (int i = 0; i < w; i++) {
            double mn = Double.POSITIVE_INFINITY;
            double mx = Double.NEGATIVE_INFINITY;
            for (int b = 0; b < 4; b++) {
                lo[i][b] = Math.log(p[i][b] / bg[b]) / Math.log(2);
                mn = Math.min(mn, lo[i][b]);
                mx = Math.max(mx, lo[i][b]);
            }
            range += mx - mn;
        }
        double scale = range > 0 ? RANGE / range : 1;
        int[][] s = new int[w][4];
        int[] colMax = new int[w];
        int total = 0;
        for (int i = 0; i < w; i++) {
            int mn = Integer.MAX_VALUE;
            for (int b = 0; b < 4; b++) {
                s[i][b] = (int) Math.round(lo[i][b] * scale);
                mn = Math.min(mn, s[i][b]);
            }
            for (int b = 0; b < 4; b++) {
                s[i][b] -= mn;
                colMax[i] = Math.max(colMax[i], s[i][b]);
            }
            total += colMax[i];
        }
        // Exact null distribution of the integer score.
        double[] dist = new double[total + 1];
        dist[0] = 1;
        int hi = 0;
        for (int i = 0; i < w; i++) {
            double[] next = new double[total + 1];
            for (int v = 0; v <= hi; v++) {
                double pv = dist[v];
                if (pv == 0) {
                    continue;
                }
                for (int b = 0; b < 4; b++) {
                    next[v + s[i][b]] += pv * bg[b];
                }
            }
            hi += colMax[i];
            dist = next;
        }
        double[] upper = new double[total + 2];
        for (int v = total; v >= 0; v--) {
            upper[v] = upper[v + 1] + dist[v];
        }
        int threshold = total + 1;
        for (int v = 0; v <= total; v++) {
            if (upper[v] <= pValue) {
                threshold = v;
                break;
            }
        }
        double[] tail = new double[total + 1 - Math.min(threshold, total + 1) + 1];
        for (int v = threshold; v <= total + 1; v++) {
            tail[v - threshold] = upper[v];
        }
        // Visiting order: most informative columns first (largest spread between best and expected score).
        Integer[] order = new Integer[w];
        double[] spread = new double[w];
        for (int i = 0; i < w; i++) {
            order[i] = i;
            double mean = 0;
            for (int b = 0; b < 4; b++) {
                mean += bg[b] * s[i][b];
            }
            spread[i] = colMax[i] - mean;
        }
        Arrays.sort(order, (a, b) -> Double.compare(spread[b], spread[a]));
        ScoringMatrix[] out = new ScoringMatrix[2];
        for (int strand = 0; strand < 2; strand++) {
            boolean rev = strand == 1;
            int[] table = new int[w * 5];
            int[] offset = new int[w];
            int[] remaining = new int[w + 1];
            for (int k = 0; k < w; k++) {
                int col = order[k];
                // Reverse complement: window position w-1-col reads the complement of the motif's column col.
                offset[k] = rev ? w - 1 - col : col;
                for (int b = 0; b < 4; b++) {
                    table[k * 5 + b] = rev ? s[col][3 - b] : s[col][b];
                }
                table[k * 5 + 4] = N_SCORE;
            }
            for (int k = w - 1; k >= 0; k--) {
                remaining[k] = remaining[k + 1] + colMax[order[k]];
            }
            // Window-position tables, then blocks of 4 positions looked up by 4-mer code.
            int[][] win = new int[w][];
            int[] winMax = new int[w];
            double[] winMean = new double[w];
            for (int k = 0; k < w; k++) {
                win[offset[k]] = Arrays.copyOfRange(table, k * 5, k * 5 + 5);
                winMax[offset[k]] = colMax[order[k]];
                for (int b = 0; b < 4; b++) {
                    winMean[offset[k]] += bg[b] * table[k * 5 + b];
                }
            }
            int nb = (w + BLOCK - 1) / BLOCK;
            int[][] bt = new int[nb][CODES];
            int[] bMax = new int[nb];
            double[] bSpread = new double[nb];
            for (int j = 0; j < nb; j++) {
                for (int code = 0; code < CODES; code++) {
                    int sum = 0;
                    int c = code;
                    for (int i = BLOCK - 1; i >= 0; i--) {
                        int d = c % 5;
                        c /= 5;
                        int col = j * BLOCK + i;
                        if (col < w) {
                            sum += win[col][d];
                        }
                    }
                    bt[j][code] = sum;
                }
                for (int i = 0; i < BLOCK && j * BLOCK + i < w; i++) {
                    bMax[j] += winMax[j * BLOCK + i];
                    bSpread[j] += winMax[j * BLOCK + i] - winMean[j * BLOCK + i];
                }
            }
            Integer[] bOrder = new Integer[nb];
            for (int j = 0; j < nb; j++) {
                bOrder[j] = j;
            }
            Arrays.sort(bOrder, (a, b) -> Double.compare(bSpread[b], bSpread[a]));
            int[] blocks = new int[nb * CODES];
            int[] blockOffset = new int[nb];
            int[] blockRemaining = new int[nb + 1];
            for (int k = 0; k < nb; k++) {
                System.arraycopy(bt[bOrder[k]], 0, blocks, k * CODES, CODES);
                blockOffset[k] = bOrder[k] * BLOCK;
            }
            for (int k = nb - 1; k >= 0; k--) {
                blockRemaining[k] = blockRemaining[k + 1] + bMax[bOrder[k]];
            }
            out[strand] = new ScoringMatrix(index, rev, w, table, offset, remaining, threshold, tail, blocks,
                    blockOffset, blockRemaining);
        }
        return out;
    }

    /**
     * The 4-mer code at each position of an encoded sequence: base-5 digits of the bases at p..p+3, positions past
     * the end read as N (4). Shared by all matrices scanning the sequence.
     */
    public static short[] blockCodes(byte[] seq) {
        short[] out = new short[seq.length];
        for (int p = 0; p < seq.length; p++) {
            int c = 0;
            for (int i = 0; i < BLOCK; i++) {
                c = c * 5 + (p + i < seq.length ? seq[p + i] : 4);
            }
            out[p] = (short) c;
        }
        return out;
    }

    /** The score of the window starting at {@code pos} (no early stop), for tests and planted-site checks. */
    public int score(byte[] seq, int pos) {
        int s = 0;
        for (int k = 0; k < width; k++) {
            s += table[k * 5 + seq[pos + offset[k]]];
        }
        return s;
    }

    /** P(score ≥ s) under the background, for a hit score s ≥ threshold. */
    public double pValue(int s) {
        int i = s - threshold;
        return tail[Math.max(0, Math.min(tail.length - 1, i))];
    }

    /** The highest score this matrix can give. */
    public int maxScore() {
        return remaining[0];
    }
}

package io.scgrn.models.prep;

import io.scgrn.models.ModelException;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How to prepare expression for a model.
 *
 * @param layer      matrix to use: null for X, "raw" for raw.X, otherwise the name of a layer
 * @param normalize  "auto" (normalise + log1p only when the values are raw counts: non-negative integers),
 *                   "always" (values must be counts) or "never" (use the values as given)
 * @param targetSum  library size each cell is scaled to before log1p; 0 means the median library size
 * @param nTopGenes  highly variable non-TF genes kept besides all expressed TFs (default 1,000: BEELINE's
 *                   "TFs + 1000", so that a file already cut to TFs + 500 or TFs + 1000 genes loses none of the
 *                   genes its truth is scored on); 0 keeps every gene. Applied only when there are more than
 *                   nTopGenes + TFs genes.
 * @param hvgFlavor  "auto" (Seurat v3 VST on counts, Seurat dispersion on log data), "seurat_v3" (needs counts)
 *                   or "dispersion"
 * @param metacells  cells averaged per metacell (k nearest neighbours in PCA space); 0 or 1 turns metacells off
 * @param pcs        principal components for the metacell neighbour search
 * @param seed       seed of the randomised PCA and of the metacell seeds
 * @param sizeFactors how raw counts are scaled per cell before log1p: "total" (each cell's total counts, the
 *                   default) or "exclude-high" (scanpy's {@code normalize_total(exclude_highly_expressed=True)}:
 *                   the total without the genes that exceed {@code maxFraction} of a cell's total in any cell; a
 *                   cell left with no counts falls back to its total times the median ratio of the two sizes over
 *                   the other cells). Applies only when the counts are normalised.
 * @param maxFraction share of a cell's total above which a gene is left out of every size factor (exclude-high)
 */
public record PrepOptions(String layer, String normalize, double targetSum, int nTopGenes, String hvgFlavor,
                          int metacells, int pcs, long seed, String sizeFactors, double maxFraction) {
    /**
     * Names accepted by {@link #fromParams}. "stream" (auto, on, off: whether the application streams the matrix from
     * its file, see {@link StreamingPreparation}) is accepted here and decided by the caller, since only it knows
     * the file.
     */
    public static final List<String> PARAM_NAMES = List.of("normalize", "target-sum", "n-top-genes", "hvg-flavor",
            "metacells", "pcs", "stream", "size-factors", "max-fraction");

    /** The options with the default size factors ("total", max-fraction 0.05). */
    public PrepOptions(String layer, String normalize, double targetSum, int nTopGenes, String hvgFlavor,
                       int metacells, int pcs, long seed) {
        this(layer, normalize, targetSum, nTopGenes, hvgFlavor, metacells, pcs, seed, "total", 0.05);
    }

    public PrepOptions {
        sizeFactors = sizeFactors == null ? "total" : sizeFactors.toLowerCase(Locale.ROOT);
        if (!List.of("total", "exclude-high").contains(sizeFactors)) {
            throw new ModelException("size-factors", "must be total or exclude-high, not '" + sizeFactors + "'");
        }
        if (!(maxFraction > 0 && maxFraction <= 1)) {
            throw new ModelException("max-fraction", "must be in (0, 1], not " + maxFraction);
        }
        normalize = normalize == null ? "auto" : normalize.toLowerCase(Locale.ROOT);
        hvgFlavor = hvgFlavor == null ? "auto" : hvgFlavor.toLowerCase(Locale.ROOT);
        if (!List.of("auto", "always", "never").contains(normalize)) {
            throw new ModelException("normalize", "must be auto, always or never, not '" + normalize + "'");
        }
        if (!List.of("auto", "seurat_v3", "dispersion").contains(hvgFlavor)) {
            throw new ModelException("hvg-flavor", "must be auto, seurat_v3 or dispersion, not '" + hvgFlavor + "'");
        }
        if (!(targetSum >= 0) || Double.isInfinite(targetSum)) {
            throw new ModelException("target-sum", "must be 0 (median) or positive, not " + targetSum);
        }
        if (nTopGenes < 0) {
            throw new ModelException("n-top-genes", "must be 0 (all) or positive, not " + nTopGenes);
        }
        if (metacells < 0) {
            throw new ModelException("metacells", "must be 0 (off) or the cells per metacell, not " + metacells);
        }
        if (pcs < 1) {
            throw new ModelException("pcs", "must be at least 1, not " + pcs);
        }
    }

    /** X, auto normalisation to the median library size, TFs + 500 genes, no metacells, 30 PCs, seed 0. */
    public static PrepOptions defaults() {
        return new PrepOptions(null, "auto", 0, 1000, "auto", 0, 30, 0);
    }

    public PrepOptions withLayer(String l) {
        return new PrepOptions(l, normalize, targetSum, nTopGenes, hvgFlavor, metacells, pcs, seed,
                sizeFactors, maxFraction);
    }

    public PrepOptions withSeed(long s) {
        return new PrepOptions(layer, normalize, targetSum, nTopGenes, hvgFlavor, metacells, pcs, s,
                sizeFactors, maxFraction);
    }

    public PrepOptions withNTopGenes(int n) {
        return new PrepOptions(layer, normalize, targetSum, n, hvgFlavor, metacells, pcs, seed,
                sizeFactors, maxFraction);
    }

    public PrepOptions withMetacells(int k) {
        return new PrepOptions(layer, normalize, targetSum, nTopGenes, hvgFlavor, k, pcs, seed,
                sizeFactors, maxFraction);
    }

    /** These options with {@code size-factors} and {@code max-fraction} set. */
    public PrepOptions withSizeFactors(String s, double fraction) {
        return new PrepOptions(layer, normalize, targetSum, nTopGenes, hvgFlavor, metacells, pcs, seed, s, fraction);
    }

    public PrepOptions withNormalize(String n) {
        return new PrepOptions(layer, n, targetSum, nTopGenes, hvgFlavor, metacells, pcs, seed,
                sizeFactors, maxFraction);
    }

    /**
     * Defaults overridden by named text parameters ({@link #PARAM_NAMES}: normalize, target-sum, n-top-genes,
     * hvg-flavor, metacells, pcs, size-factors, max-fraction), as the CLI's {@code --prep name=value} gives them.
     *
     * @throws ModelException naming the parameter when it is unknown or its value is invalid
     */
    public static PrepOptions fromParams(String layer, long seed, Map<String, String> params) {
        PrepOptions d = defaults();
        for (String k : params.keySet()) {
            if (!PARAM_NAMES.contains(k)) {
                throw new ModelException(k, "unknown preparation parameter; known: " + String.join(", ", PARAM_NAMES));
            }
        }
        return new PrepOptions(layer, params.getOrDefault("normalize", d.normalize),
                number(params, "target-sum", d.targetSum), (int) integer(params, "n-top-genes", d.nTopGenes),
                params.getOrDefault("hvg-flavor", d.hvgFlavor), (int) integer(params, "metacells", d.metacells),
                (int) integer(params, "pcs", d.pcs), seed, params.getOrDefault("size-factors", d.sizeFactors),
                number(params, "max-fraction", d.maxFraction));
    }

    private static double number(Map<String, String> p, String name, double dflt) {
        String v = p.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ModelException(name, "not a number: '" + v + "'");
        }
    }

    private static long integer(Map<String, String> p, String name, long dflt) {
        String v = p.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            long l = Long.parseLong(v.trim());
            if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
                throw new ModelException(name, "out of range: " + v);
            }
            return l;
        } catch (NumberFormatException e) {
            throw new ModelException(name, "not an integer: '" + v + "'");
        }
    }
}

package io.scgrn.app.run.atac;

import io.scgrn.app.errors.BadRequestException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the pipeline finds and uses chromatin accessibility (scATAC) data next to the expression data. The multiome
 * wiring (helper E) may add fields; build instances with {@link #none()} or {@link #auto()} and the withers so
 * callers keep compiling when fields are added.
 *
 * @param mode     "auto" (use an ATAC modality when the input has one), "off" (RNA only) or "on" (fail when there
 *                 is no ATAC data)
 * @param rnaMod   name of the expression modality in a .h5mu / 10x file, or null to detect it
 * @param atacMod  name of the accessibility modality, or null to detect it ("atac", "peaks", feature type Peaks)
 * @param atacFile a separate .h5ad with peaks, paired with the input by cell barcode, or null
 * @param genes    a GTF/BED file of gene positions, or null
 * @param motifs   a TF-peak motif table, or null
 * @param extra    further named options, passed through to the ATAC step
 * @param genome   a genome FASTA (plain, bgzip or gzip) whose peak sequences are scanned for motifs, or null
 * @param motifDb  a JASPAR or MEME motif file for the scan, or null for the bundled JASPAR 2024 vertebrates
 * @param motifP   p-value threshold of a motif hit, or NaN for the default (1e-4)
 * @param scanCache folder for the motif-scan cache (and genome indexes that cannot sit next to the FASTA), or
 *                 null for no cache; the pipeline sets it next to the output folder
 */
public record AtacOptions(String mode, String rnaMod, String atacMod, Path atacFile, Path genes, Path motifs,
                          Map<String, String> extra, Path genome, Path motifDb, double motifP, Path scanCache) {
    public AtacOptions {
        mode = mode == null ? "auto" : mode;
        if (!mode.equals("auto") && !mode.equals("off") && !mode.equals("on")) {
            throw new BadRequestException("atac", "mode must be auto, off or on, not '" + mode + "'");
        }
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        if (!Double.isNaN(motifP) && !(motifP > 0 && motifP < 1)) {
            throw new BadRequestException("motif-p", "must be in (0, 1), not " + motifP);
        }
        if (motifs != null && genome != null) {
            throw new BadRequestException("genome", "give either --motifs (a hit table) or --genome (scan it), "
                    + "not both");
        }
        if (motifDb != null && genome == null) {
            throw new BadRequestException("motif-db", "--motif-db needs --genome (the sequences to scan)");
        }
    }

    /** Without motif scanning. */
    public AtacOptions(String mode, String rnaMod, String atacMod, Path atacFile, Path genes, Path motifs,
                       Map<String, String> extra) {
        this(mode, rnaMod, atacMod, atacFile, genes, motifs, extra, null, null, Double.NaN, null);
    }

    /** Use ATAC data when the input has it, detect modality names. */
    public static AtacOptions auto() {
        return new AtacOptions("auto", null, null, null, null, null, Map.of());
    }

    /** RNA only. */
    public static AtacOptions none() {
        return new AtacOptions("off", null, null, null, null, null, Map.of());
    }

    public AtacOptions withMode(String m) {
        return new AtacOptions(m, rnaMod, atacMod, atacFile, genes, motifs, extra, genome, motifDb, motifP, scanCache);
    }

    public AtacOptions withRnaMod(String m) {
        return new AtacOptions(mode, m, atacMod, atacFile, genes, motifs, extra, genome, motifDb, motifP, scanCache);
    }

    public AtacOptions withAtacMod(String m) {
        return new AtacOptions(mode, rnaMod, m, atacFile, genes, motifs, extra, genome, motifDb, motifP, scanCache);
    }

    public AtacOptions withAtacFile(Path f) {
        return new AtacOptions(mode, rnaMod, atacMod, f, genes, motifs, extra, genome, motifDb, motifP, scanCache);
    }

    public AtacOptions withGenes(Path f) {
        return new AtacOptions(mode, rnaMod, atacMod, atacFile, f, motifs, extra, genome, motifDb, motifP, scanCache);
    }

    public AtacOptions withMotifs(Path f) {
        return new AtacOptions(mode, rnaMod, atacMod, atacFile, genes, f, extra, genome, motifDb, motifP, scanCache);
    }

    /** Scan {@code fasta} with {@code db} (null: bundled JASPAR) at p-value {@code p} (NaN: default). */
    public AtacOptions withGenome(Path fasta, Path db, double p) {
        return new AtacOptions(mode, rnaMod, atacMod, atacFile, genes, motifs, extra, fasta, db, p, scanCache);
    }

    /** Where the motif scan is cached. */
    public AtacOptions withScanCache(Path dir) {
        return new AtacOptions(mode, rnaMod, atacMod, atacFile, genes, motifs, extra, genome, motifDb, motifP, dir);
    }
}

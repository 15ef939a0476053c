package io.scgrn.app.run;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.MatrixBlocks;
import io.scgrn.anndata.MuData;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.models.prep.StreamingPreparation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether {@code scgrn infer} streams the expression matrix from the file ({@link StreamingPreparation}) instead of
 * reading it whole: {@code --prep stream=auto|on|off}. "auto" streams when the matrix, decoded, would take more than
 * {@value #HEAP_SHARE} of the maximum heap, or when the prepared cells × genes matrix (estimated) would take more
 * than {@value #GATHER_SHARE} of the heap left beside the decoded matrix: the in-memory path holds both while the
 * model and the calibration make their copies (a 200,000-cell file whose X took 20 % of a 4 GiB heap ran out of
 * memory in memory and runs streamed). The decision and its numbers go to the manifest.
 *
 * @param on            whether to stream
 * @param mode          auto, on or off as requested
 * @param decodedBytes  the matrix's decoded size (−1 when not looked at)
 * @param gatheredBytes the estimated prepared matrices' size, float32 (−1 when not looked at)
 * @param heapBytes     the maximum heap
 */
record Streaming(boolean on, String mode, long decodedBytes, long gatheredBytes, long heapBytes) {
    /** The prep parameter. */
    static final String PARAM = "stream";
    static final List<String> MODES = List.of("auto", "on", "off");
    /** Share of the heap the decoded matrix may take before "auto" streams it. */
    static final double HEAP_SHARE = 0.25;
    /**
     * Share of the free heap the gathered cells × genes matrices may take before the cells are sketched. The rest
     * is for what follows: the FDR calibration copies the matrix with decoy genes added, the models make their own
     * working copies, and regulon scoring ranks every cell (a 1M-cell run with 0.4 ran out of a 4 GiB heap after
     * the gather pass; with 0.15 the default crowd model, which ranks a copy of the gathered matrix beside the
     * decoys, ran out of a 4 GiB heap on the 1M atlas).
     */
    static final double GATHER_SHARE = 0.10;
    /** A file smaller than this share of the heap cannot decode to more than HEAP_SHARE of it (8 × compression). */
    static final double SMALL_FILE_SHARE = HEAP_SHARE / 8;

    /** The mode in the preparation parameters (default auto). */
    static String mode(Map<String, String> prepParams) {
        String m = prepParams.getOrDefault(PARAM, "auto").trim().toLowerCase(Locale.ROOT);
        if (!MODES.contains(m)) {
            throw new BadRequestException("prep", "stream must be auto, on or off, not '" + m + "'");
        }
        return m;
    }

    /**
     * Whether "auto" has to look at the file at all: a file much smaller than the heap is read in memory without a
     * second look.
     */
    static boolean worthALook(String mode, Path input) {
        if (mode.equals("off")) {
            return false;
        }
        if (mode.equals("on")) {
            return true;
        }
        try {
            return Files.size(input) > SMALL_FILE_SHARE * Runtime.getRuntime().maxMemory();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The decision for the expression modality {@code rna} of {@code meta} (read without matrices).
     *
     * @param genesKept at most this many genes are kept by preparation (TFs plus the most variable genes)
     * @throws BadRequestException when streaming is forced but the input cannot be streamed
     */
    static Streaming decide(String mode, InferRequest req, MuData meta, AnnData rna, String layer, int genesKept) {
        long heap = Runtime.getRuntime().maxMemory();
        String why = null;
        if (meta.kind().startsWith("10x")) {
            why = "10x files are read whole (their barcodes and features live next to the matrix)";
        } else if (!req.atac().mode().equals("off") && (meta.mod().size() > 1 || req.atac().atacFile() != null)) {
            why = "the ATAC step needs the expression matrix in memory; use --atac off to stream";
        }
        if (why != null) {
            if (mode.equals("on")) {
                throw new BadRequestException("prep", "stream=on: " + why);
            }
            return new Streaming(false, mode, -1, -1, heap);
        }
        long decoded;
        try (MatrixBlocks b = MatrixBlocks.open(req.input(), StreamingPreparation.matrixPath(rna, layer))) {
            decoded = StreamingPreparation.decodedBytes(b);
        }
        // all cells, and with --groupby each category's cells again
        long gathered = 4L * rna.nObs() * genesKept * (req.groupby() == null ? 1 : 2);
        return new Streaming(streams(mode, decoded, gathered, heap), mode, decoded, gathered, heap);
    }

    /** Whether {@code mode} streams a matrix of {@code decoded} bytes whose prepared matrices take {@code gathered}. */
    static boolean streams(String mode, long decoded, long gathered, long heap) {
        if (!mode.equals("auto")) {
            return mode.equals("on");
        }
        return decoded > HEAP_SHARE * heap || gathered > GATHER_SHARE * (heap - decoded);
    }

    /** Heap the gathered matrices may take. */
    static long gatherBudget() {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return (long) (GATHER_SHARE * Math.max(0, free));
    }

    /** For the manifest. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("streamed", on);
        if (decodedBytes >= 0) {
            m.put("matrix_decoded_bytes", decodedBytes);
        }
        if (gatheredBytes >= 0) {
            m.put("prepared_bytes_estimate", gatheredBytes);
        }
        m.put("max_heap_bytes", heapBytes);
        return m;
    }
}

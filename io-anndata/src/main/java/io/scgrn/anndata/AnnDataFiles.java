package io.scgrn.anndata;

import io.scgrn.anndata.read.FileKinds;
import io.scgrn.anndata.read.H5Files;
import io.scgrn.anndata.read.H5adReader;
import io.scgrn.anndata.read.H5muReader;
import io.scgrn.anndata.read.TenXReader;

import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * Entry point for reading files. Chooses the decoder from the file's {@code encoding-type}/{@code encoding-version}
 * attributes (or the legacy layouts that predate them); an unknown encoding is an {@link AnnDataException}.
 */
public final class AnnDataFiles {
    private AnnDataFiles() {
    }

    /** Reads an {@code .h5ad} file fully into memory. */
    public static AnnData readH5ad(Path file) {
        return H5adReader.read(file);
    }

    /** Reads an {@code .h5mu} file fully into memory. */
    public static MuData readH5mu(Path file) {
        return H5muReader.read(file);
    }

    /** Reads a 10x Genomics {@code .h5} matrix (v2 or v3) as one modality per feature type (v3) or genome (v2). */
    public static MuData read10x(Path file) {
        return TenXReader.read(file);
    }

    /**
     * Reads any supported file, detected by content (not by extension): an .h5ad becomes a MuData with one
     * modality named after {@link #SINGLE_MODALITY}.
     */
    public static MuData readAny(Path file) {
        return H5Files.withFile(file, ctx -> switch (FileKinds.detect(ctx)) {
            case H5MU -> H5muReader.read(ctx);
            case TENX -> TenXReader.read(ctx);
            case H5AD -> asMuData(H5adReader.read(ctx, ctx.hdf()));
        });
    }

    /** Wraps one AnnData as a MuData with the single modality {@link #SINGLE_MODALITY}. */
    public static MuData asMuData(AnnData a) {
        LinkedHashMap<String, AnnData> mod = new LinkedHashMap<>();
        mod.put(SINGLE_MODALITY, a);
        return new MuData(a.source(), 0, a.obs(), a.var(), mod, a.uns(), "h5ad");
    }

    /** Modality name used by {@link #readAny} for a plain .h5ad. */
    public static final String SINGLE_MODALITY = "rna";
}

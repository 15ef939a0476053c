package io.scgrn.anndata;

import io.scgrn.anndata.read.H5adReader;

import java.nio.file.Path;

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
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Reads a 10x Genomics {@code .h5} matrix (v2 or v3) as one modality per feature type (v3) or genome (v2). */
    public static MuData read10x(Path file) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Reads any supported file, detected by content (not by extension): an .h5ad becomes a MuData with one
     * modality named after {@link #SINGLE_MODALITY}.
     */
    public static MuData readAny(Path file) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Modality name used by {@link #readAny} for a plain .h5ad. */
    public static final String SINGLE_MODALITY = "rna";
}

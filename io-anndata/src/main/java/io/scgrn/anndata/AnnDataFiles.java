package io.scgrn.anndata;

import io.scgrn.anndata.read.FileKinds;
import io.scgrn.anndata.read.H5Files;
import io.scgrn.anndata.read.H5adReader;
import io.scgrn.anndata.read.H5muReader;
import io.scgrn.anndata.read.TenXReader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.function.Predicate;

/**
 * Entry point for reading files. Chooses the decoder from the file's {@code encoding-type}/{@code encoding-version}
 * attributes (or the legacy layouts that predate them); an unknown encoding is an {@link AnnDataException}.
 *
 * <p>What is read: .h5ad from anndata 0.5 (compound obs/var, categories in uns, h5sparse raw.X) through 0.7
 * ({@code __categories} references) to the current spec (dense, csr_matrix, csc_matrix; categorical,
 * string-array, nullable-integer/boolean/string-array columns; dict, string, numeric-scalar, rec-array in uns;
 * raw; files without X); gzip, LZF and shuffle compression. obsm/varm entries that are dataframes are skipped with
 * a warning (only matrices are kept); neighbour graphs stored in {@code uns/neighbors} by old files are moved to
 * obsp, as anndata does.
 *
 * <p>Every failure is an {@link AnnDataException} naming the file and the HDF5 path; sizes are checked against
 * the dataset dimensions before anything is allocated. For matrices larger than the heap use
 * {@link MatrixBlocks}; for a summary that does not load matrices use {@link Summaries#summarizeFile}.
 */
public final class AnnDataFiles {
    private AnnDataFiles() {
    }

    /** Reads an {@code .h5ad} file fully into memory. */
    public static AnnData readH5ad(Path file) {
        return H5adReader.read(file);
    }

    /**
     * Reads an {@code .h5mu} file fully into memory: modalities in {@code mod-order} (else file order), the global
     * obs/var, uns and {@code axis}. Accepts the MuData 0.1.0 spec (mudata 0.1-0.4, with its 512-byte user block)
     * and the pre-spec muon layout of 2020.
     */
    public static MuData readH5mu(Path file) {
        return H5muReader.read(file);
    }

    /**
     * Reads a 10x Genomics {@code .h5} matrix (v2 or v3) as one modality per feature type (v3) or genome (v2).
     * As scanpy.read_10x_h5 does, var names are the feature names and column {@code gene_ids} holds the ids;
     * v3 modalities are named as muon names them (Gene Expression: rna, Peaks: atac, Antibody Capture: prot,
     * others by their feature type), see {@link io.scgrn.anndata.read.TenXReader#MODALITY_NAMES}. X is
     * cells x features CSR in the stored dtype (int32 counts).
     */
    public static MuData read10x(Path file) {
        return TenXReader.read(file);
    }

    /**
     * Reads any supported file, detected by content (not by extension): an .h5ad becomes a MuData with one
     * modality named after {@link #SINGLE_MODALITY} and kind "h5ad"; .h5mu files give kind "h5mu", 10x files
     * "10x-v3" or "10x-v2".
     */
    public static MuData readAny(Path file) {
        return H5Files.withFile(file, ctx -> switch (FileKinds.detect(ctx)) {
            case H5MU -> H5muReader.read(ctx);
            case TENX -> TenXReader.read(ctx);
            case H5AD -> asMuData(H5adReader.read(ctx, ctx.hdf()));
        });
    }

    /**
     * Reads a file as {@link #readAny} does, but without the large matrices of the modalities for which
     * {@code withMatrices} is false (X, raw.X, layers, obsp, varp, varm and obsm of more than 2 columns are left
     * out; obs, var and uns are read), so that a caller can stream X with {@link MatrixBlocks} instead. 10x files
     * hold their obs/var inside the matrix group and are read whole.
     */
    public static MuData readAnyWithout(Path file, Predicate<String> withMatrices) {
        return H5Files.withFile(file, ctx -> switch (FileKinds.detect(ctx)) {
            case H5MU -> H5muReader.read(ctx, withMatrices);
            case TENX -> TenXReader.read(ctx);
            case H5AD -> asMuData(withMatrices.test(SINGLE_MODALITY) ? H5adReader.read(ctx, ctx.hdf())
                    : H5adReader.readMetadata(ctx, ctx.hdf()));
        });
    }

    /**
     * Reads a file as {@link #readAny} does, but the .h5mu modalities for which {@code withoutX} is true without
     * their X (null; everything else is read), so that a caller can stream that X with {@link MatrixBlocks} at
     * {@code <modality path>/X}; an .h5ad likewise when {@code withoutX} accepts {@link #SINGLE_MODALITY}. 10x files
     * are read whole.
     */
    public static MuData readAnyWithoutX(Path file, Predicate<String> withoutX) {
        return H5Files.withFile(file, ctx -> switch (FileKinds.detect(ctx)) {
            case H5MU -> H5muReader.readLoading(ctx, m -> withoutX.test(m) ? H5muReader.Load.WITHOUT_X
                    : H5muReader.Load.WHOLE);
            case TENX -> TenXReader.read(ctx);
            case H5AD -> asMuData(withoutX.test(SINGLE_MODALITY) ? H5adReader.readWithoutX(ctx, ctx.hdf())
                    : H5adReader.read(ctx, ctx.hdf()));
        });
    }

    /** True when the file is a MuData (.h5mu), detected by content. */
    public static boolean isMuData(Path file) {
        return H5Files.withFile(file, ctx -> FileKinds.detect(ctx) == FileKinds.Kind.H5MU);
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

package io.scgrn.anndata;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code scgrn inspect} shows about a file: a record tree built by {@link Summaries#summarize}.
 *
 * @param source     the file
 * @param kind       h5ad, h5mu, 10x-v3 or 10x-v2
 * @param axis       MuData axis (0: modalities share cells)
 * @param nObs       global observations
 * @param nVars      global variables
 * @param modalities per modality, in file order
 * @param unsKeys    global uns keys
 * @param obs        columns of an .h5mu file's global obs table (empty for other kinds, whose only obs table is
 *                   the modality's, and for .h5mu files without a global obs)
 * @param encodings  HDF5 path → "encoding-type encoding-version" for the file's main elements (empty when the
 *                   summary was built from memory only)
 */
public record Summary(Path source, String kind, int axis, int nObs, int nVars, List<Modality> modalities,
                      List<String> unsKeys, List<ColumnInfo> obs, Map<String, String> encodings) {

    /**
     * One modality (the only one for an .h5ad).
     *
     * @param name     modality name
     * @param nObs     observations
     * @param nVars    variables
     * @param x        the X matrix, or null when the file has none
     * @param obs      obs columns
     * @param var      var columns
     * @param layers   layer names
     * @param obsm     obsm names
     * @param varm     varm names
     * @param obsp     obsp names
     * @param varp     varp names
     * @param unsKeys  uns keys
     * @param rawNVars variables of raw, or -1 without raw
     */
    public record Modality(String name, int nObs, int nVars, MatrixInfo x, List<ColumnInfo> obs,
                           List<ColumnInfo> var, List<String> layers, List<String> obsm, List<String> varm,
                           List<String> obsp, List<String> varp, List<String> unsKeys, int rawNVars) {
    }

    /**
     * A matrix.
     *
     * @param encoding array, csr_matrix or csc_matrix
     * @param dtype    numpy dtype name as stored
     * @param nRows    rows
     * @param nCols    columns
     * @param nnz      stored entries
     * @param density  stored entries / (rows * columns); 1 for dense, NaN for an empty shape
     */
    public record MatrixInfo(String encoding, String dtype, int nRows, int nCols, long nnz, double density) {
    }

    /**
     * An obs/var column.
     *
     * @param name        column name
     * @param type        numeric, bool, string or categorical
     * @param dtype       stored numpy dtype (category dtype for categoricals)
     * @param encoding    anndata encoding-type it was stored with
     * @param nCategories number of categories, or -1 when not categorical
     * @param ordered     whether a categorical is ordered
     * @param nMissing    NA entries
     */
    public record ColumnInfo(String name, String type, String dtype, String encoding, int nCategories,
                             boolean ordered, long nMissing) {
    }
}

package io.scgrn.anndata;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One annotated data matrix, as anndata models it: n_obs observations (cells) × n_vars variables (genes, peaks).
 *
 * @param source   file it was read from (null when built in memory)
 * @param h5Path   group inside the file ("/" for an .h5ad, "/mod/rna" for a MuData modality)
 * @param x        the main matrix, n_obs × n_vars, or null for files without X
 * @param layers   further n_obs × n_vars matrices
 * @param obsm     n_obs × k matrices (X_umap, X_pca, …)
 * @param varm     n_vars × k matrices
 * @param obsp     n_obs × n_obs graphs (connectivities, distances)
 * @param varp     n_vars × n_vars graphs
 * @param uns      unstructured: String, Number, Boolean, NumArray, String[], {@link Matrix}, {@link DataFrame} or a
 *                 nested {@code Map<String, Object>}
 * @param raw      the raw AnnData (its n_vars may differ), or null
 */
public record AnnData(Path source, String h5Path, DataFrame obs, DataFrame var, Matrix x,
                      Map<String, Matrix> layers, Map<String, Matrix> obsm, Map<String, Matrix> varm,
                      Map<String, Matrix> obsp, Map<String, Matrix> varp, Map<String, Object> uns, AnnData raw) {

    public int nObs() {
        return obs.nRows();
    }

    public int nVars() {
        return var.nRows();
    }

    public Optional<Matrix> xOpt() {
        return Optional.ofNullable(x);
    }

    public Optional<AnnData> rawOpt() {
        return Optional.ofNullable(raw);
    }
}

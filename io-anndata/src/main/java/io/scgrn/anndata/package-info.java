/**
 * Reading and writing AnnData ({@code .h5ad}), MuData ({@code .h5mu}) and 10x Genomics ({@code .h5}) files.
 *
 * <p>Entry point: {@link io.scgrn.anndata.AnnDataFiles}. Values are plain records ({@link io.scgrn.anndata.AnnData},
 * {@link io.scgrn.anndata.MuData}, {@link io.scgrn.anndata.Matrix}, {@link io.scgrn.anndata.DataFrame}); every
 * failure is an {@link io.scgrn.anndata.AnnDataException} naming the file and the HDF5 path.
 */
package io.scgrn.anndata;

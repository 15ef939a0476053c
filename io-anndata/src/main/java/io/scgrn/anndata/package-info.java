/**
 * Reading and writing AnnData ({@code .h5ad}), MuData ({@code .h5mu}) and 10x Genomics ({@code .h5}) files.
 *
 * <p>Entry point: {@link io.scgrn.anndata.AnnDataFiles}. Values are plain records ({@link io.scgrn.anndata.AnnData},
 * {@link io.scgrn.anndata.MuData}, {@link io.scgrn.anndata.Matrix}, {@link io.scgrn.anndata.DataFrame}); every
 * failure is an {@link io.scgrn.anndata.AnnDataException} naming the file and the HDF5 path.
 *
 * <p>Beyond whole-file reads: {@link io.scgrn.anndata.MatrixBlocks} streams a matrix in row or column blocks
 * (bounded memory, for matrices larger than the heap) and {@link io.scgrn.anndata.QcStats} computes per-cell and
 * per-gene totals with it; {@link io.scgrn.anndata.ArrowTables} turns obs/var into Arrow tables;
 * {@link io.scgrn.anndata.Summaries} builds the {@link io.scgrn.anndata.Summary} shown by {@code scgrn inspect},
 * either from a dataset in memory or from a file's metadata without loading its matrices. The decoders themselves
 * (one per encoding and version) live in the internal package {@code io.scgrn.anndata.read}.
 */
package io.scgrn.anndata;

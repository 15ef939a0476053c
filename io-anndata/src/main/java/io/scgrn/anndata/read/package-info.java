/**
 * Internal: the decoders behind {@link io.scgrn.anndata.AnnDataFiles}. One class per anndata element encoding and
 * version (chosen by {@link io.scgrn.anndata.read.Decoders} from the {@code encoding-type} /
 * {@code encoding-version} attributes), plus readers for the layouts that predate those attributes, MuData and 10x
 * files. Nothing here is stable API; use {@link io.scgrn.anndata.AnnDataFiles}.
 */
package io.scgrn.anndata.read;

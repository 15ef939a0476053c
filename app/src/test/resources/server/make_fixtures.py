"""Writes the server tests' fixtures from scanpy's pbmc68k_reduced (BSD-3-Clause, (c) scanpy developers).

Run: /usr/bin/python3 make_fixtures.py /work/shared/formats/scanpy/pbmc68k_reduced_2025-11.h5ad /path/to/tfs.txt
Outputs (small, committed):
  pbmc_small.h5ad   200 cells x 120 genes of raw.X (log-normalised) (all expressed TFs of the file + the most variable others), obs louvain
                    (categorical) + n_counts (numeric), obsm X_umap
  pbmc_noemb.h5ad   the same cells and genes without obsm (the server must compute a PCA embedding)
"""
import sys
import numpy as np
import anndata as ad

src, tf_file = sys.argv[1], sys.argv[2]
a = ad.read_h5ad(src)
tfs = {l.strip() for l in open(tf_file) if l.strip() and not l.startswith("#")}
rng = np.random.default_rng(7)
cells = np.sort(rng.choice(a.n_obs, 200, replace=False))
a = a[cells].copy()
# raw.X holds log-normalised values (X is scaled, with negatives): the usual input of GRN inference.
x = a.raw.X if isinstance(a.raw.X, np.ndarray) else a.raw.X.toarray()
var = x.var(axis=0)
names = np.array(a.raw.var_names)
is_tf = np.array([g in tfs for g in names])
tf_idx = [i for i in np.argsort(-var) if is_tf[i] and var[i] > 0][:30]
other = [i for i in np.argsort(-var) if not is_tf[i]][: 120 - len(tf_idx)]
genes = np.sort(np.array(tf_idx + other))
b = ad.AnnData(X=np.asarray(x[:, genes], dtype=np.float32),
               obs=a.obs[["louvain", "n_counts"]].copy(),
               var=a.raw.var.iloc[genes, :0].copy())
b.obsm["X_umap"] = np.asarray(a.obsm["X_umap"], dtype=np.float32)
b.write_h5ad("pbmc_small.h5ad")
c = b.copy()
del c.obsm["X_umap"]
c.write_h5ad("pbmc_noemb.h5ad")
print("tfs kept:", len(tf_idx), "genes:", b.n_vars, "cells:", b.n_obs)

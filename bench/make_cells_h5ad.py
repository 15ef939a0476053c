"""Synthetic .h5ad for the web UI benchmark (docs/benchmarks.md, server): N cells x 20 genes, obs "cluster"
(12 categories), obsm X_umap = 12 Gaussian blobs. Usage: /usr/bin/python3 bench/make_cells_h5ad.py OUT.h5ad N"""
import sys, numpy as np, anndata as ad, pandas as pd
n = int(sys.argv[2]); rng = np.random.default_rng(0)
k = 12
lab = rng.integers(0, k, n)
centres = rng.normal(0, 10, (k, 2))
umap = (centres[lab] + rng.normal(0, 1.2, (n, 2))).astype(np.float32)
x = rng.gamma(1.0, 1.0, (n, 20)).astype(np.float32)
obs = pd.DataFrame({"cluster": pd.Categorical([f"c{i}" for i in lab])}, index=[f"cell{i}" for i in range(n)])
var = pd.DataFrame(index=[f"GENE{j}" for j in range(20)])
a = ad.AnnData(X=x, obs=obs, var=var); a.obsm["X_umap"] = umap
a.write_h5ad(sys.argv[1])

"""Python anndata's side of the paired `scgrn inspect --stats` benchmarks: read an .h5ad, sum X's rows and columns
and count the stored entries per row (what --stats reports, in numbers), print them on one line.

    /usr/bin/python3 bench/anndata_stats.py FILE.h5ad
"""
import sys

import anndata
import numpy as np

a = anndata.read_h5ad(sys.argv[1])
x = a.X
rows = np.asarray(x.sum(axis=1)).ravel()
cols = np.asarray(x.sum(axis=0)).ravel()
det_r = np.diff(x.indptr) if hasattr(x, "indptr") else (x != 0).sum(axis=1)
print(a.n_obs, a.n_vars, float(rows.sum()), float(cols.sum()), int(det_r.sum()))

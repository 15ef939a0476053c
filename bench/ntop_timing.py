#!/usr/bin/env python3
"""A TFs+1000-size file for timing only: beeline-hHEP-STRING-500 (948 genes) plus 500 genes that are copies of its
non-TF genes with the cells permuted (no regulation, so not for accuracy).

usage: /usr/bin/python3 bench/ntop_timing.py OUT.h5ad
then:  scgrn infer OUT.h5ad --tfs .../beeline-hHEP-STRING-500/tfs.txt --prep n-top-genes=500|1000 --seed 0 --no-h5ad
"""
import sys

import anndata as ad
import numpy as np
import pandas as pd

SET = "/work/shared/benchmarks/beeline-hHEP-STRING-500"
a = ad.read_h5ad(SET + "/data.h5ad")
rng = np.random.default_rng(7)
X = np.asarray(a.X.todense() if hasattr(a.X, "todense") else a.X)
tfs = set(open(SET + "/tfs.txt").read().split())
non = [i for i, g in enumerate(a.var_names) if g not in tfs]
extra = rng.choice(non, 500, replace=True)
E = np.stack([X[rng.permutation(X.shape[0]), j] for j in extra], axis=1)
b = ad.AnnData(np.hstack([X, E]).astype(np.float32), obs=a.obs.copy(),
               var=pd.DataFrame(index=list(a.var_names) + [f"X{i}" for i in range(500)]))
b.write_h5ad(sys.argv[1])
print(b.shape)

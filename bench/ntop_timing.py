#!/usr/bin/env python3
"""A TFs+1000-size file for timing only: a benchmark set (default beeline-hHEP-STRING-500, 948 genes) plus 500 genes
that are copies of its non-TF genes with the cells permuted (no regulation, so not for accuracy).

usage: /usr/bin/python3 bench/ntop_timing.py OUT.h5ad [SET_DIR]
       (SET_DIR .../beeline-mHSC-GM-STRING-500 gives session 16's 889-cell x 1,132-gene file)
then:  scgrn infer OUT.h5ad --tfs SET_DIR/tfs.txt --truth SET_DIR/truth.csv --seed 0 --no-h5ad -q
"""
import sys

import anndata as ad
import numpy as np
import pandas as pd

SET = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/benchmarks/beeline-hHEP-STRING-500"
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

#!/usr/bin/python3
"""Write one benchmark .h5ad in another form (docs/benchmarks.md "GRN accuracy: round 12, invariance and robustness").

Usage: robustness_variants.py IN.h5ad OUT.h5ad MODE [SEED]
MODE:
  rewrite    the same dense float32 X, written again by this anndata (control for the writer)
  csr, csc   X as scipy CSR / CSC (float32, same values; explicit zeros dropped)
  f64        X as dense float64 (same values)
  permgenes  genes (var) in a random order (numpy default_rng(SEED), SEED default 12)
  permcells  cells (obs) in a random order (same)
  meta       obs/var with extra columns: categoricals, strings, numbers, booleans
  counts-e   pseudo UMI counts: round(expm1(x) * s_c), s_c so that each cell's library is 10,000
  counts-2   the same with 2**x - 1 (the inverse of log2(v + 1))
  noise1..3  SERGIO-style technical noise on X (SERGIO's sergio.py recipe: outlier genes, library-size factors,
             dropout by a logistic of log expression, Poisson counting), level 1-3, numpy default_rng(SEED)
"""
import sys

import anndata
import numpy as np
import pandas as pd
import scipy.sparse as sp

# level -> (outlier (prob, mean, sigma) or None, library (mean, sigma) of log size, dropout (shape, percentile))
NOISE = {
    1: (None, (7.0, 0.3), (6.5, 30)),
    2: (None, (5.8, 0.4), (6.5, 60)),
    3: ((0.01, 0.8, 1.0), (4.6, 0.4), (6.5, 82)),  # SERGIO's published settings for its data sets
}


def noise(x, level, seed):
    rng = np.random.default_rng(seed)
    outlier, (lib_mean, lib_sigma), (shape, pct) = NOISE[level]
    e = np.asarray(x, dtype=np.float64).copy()  # cells x genes
    n_cells, n_genes = e.shape
    if outlier is not None:
        p, m, s = outlier
        idx = np.where(rng.binomial(1, p, size=n_genes) == 1)[0]
        e[:, idx] *= rng.lognormal(m, s, size=len(idx))
    lib = rng.lognormal(lib_mean, lib_sigma, size=n_cells)
    tot = e.sum(axis=1)
    tot[tot == 0] = 1
    e *= (lib / tot)[:, None]
    le = np.log(e + 1)
    mid = np.percentile(le, pct)
    keep = rng.binomial(1, 1 / (1 + np.exp(-shape * (le - mid))))
    e *= keep
    return rng.poisson(e).astype(np.float32)


def main():
    src, dst, mode = sys.argv[1:4]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    a = anndata.read_h5ad(src)
    x = np.asarray(a.X)
    if mode == "rewrite":
        pass
    elif mode == "csr":
        a.X = sp.csr_matrix(x)
    elif mode == "csc":
        a.X = sp.csc_matrix(x)
    elif mode == "f64":
        a.X = x.astype(np.float64)
    elif mode == "permgenes":
        a = a[:, np.random.default_rng(seed).permutation(a.n_vars)].copy()
    elif mode == "permcells":
        a = a[np.random.default_rng(seed).permutation(a.n_obs), :].copy()
    elif mode == "meta":
        n, g = a.n_obs, a.n_vars
        a.obs["batch"] = pd.Categorical(["b%d" % (i % 3) for i in range(n)])
        a.obs["cell_type"] = pd.Categorical(["t%d" % (i % 5) for i in range(n)], categories=["t%d" % k for k in range(5)])
        a.obs["n_counts"] = np.arange(n, dtype=np.float64)
        a.obs["label"] = ["cell %d" % i for i in range(n)]
        a.obs["ok"] = np.arange(n) % 2 == 0
        a.var["gene_ids"] = ["ENSG%011d" % i for i in range(g)]
        a.var["highly_variable"] = np.arange(g) % 2 == 0
        a.var["chrom"] = pd.Categorical(["chr%d" % (i % 22 + 1) for i in range(g)])
        a.var["mean"] = np.asarray(x.mean(axis=0), dtype=np.float64)
        a.uns["note"] = "extra metadata"
    elif mode in ("counts-e", "counts-2"):
        e = np.expm1(x.astype(np.float64)) if mode == "counts-e" else np.exp2(x.astype(np.float64)) - 1
        tot = e.sum(axis=1)
        tot[tot == 0] = 1
        a.X = np.rint(e * (10000.0 / tot)[:, None]).astype(np.float32)
    elif mode.startswith("noise"):
        a.X = noise(x, int(mode[5:]), seed)
    else:
        raise SystemExit("unknown mode " + mode)
    a.write_h5ad(dst)


if __name__ == "__main__":
    main()

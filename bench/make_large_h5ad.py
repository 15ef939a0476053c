#!/usr/bin/python3
"""Writes a large synthetic CSR .h5ad for the io-anndata read benchmark (bench/read-benchmark.sh).

Needs Debian's python3-anndata, python3-scipy, python3-numpy (call /usr/bin/python3 explicitly).

    /usr/bin/python3 bench/make_large_h5ad.py --cells 100000 --genes 20000 --density 0.0175 out.h5ad

X is float32 CSR with sorted column indices, values are counts 1, 2, 3... (geometric, p=0.5) like UMI data;
about density*cells*genes entries (duplicates removed). Compression gzip (level 4, h5py's default) unless
--compression none. obs/var carry an index and one column each, so the file is a normal AnnData.
"""
import argparse
import sys
import time

import anndata
import numpy as np
import pandas as pd
import scipy.sparse as sp


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--cells", type=int, default=100_000)
    ap.add_argument("--genes", type=int, default=20_000)
    ap.add_argument("--density", type=float, default=0.0175)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--compression", choices=["gzip", "none"], default="gzip")
    a = ap.parse_args(argv)
    if a.cells < 1 or a.genes < 1 or not 0 < a.density <= 1:
        ap.error("need cells >= 1, genes >= 1, 0 < density <= 1")

    t0 = time.time()
    rng = np.random.default_rng(a.seed)
    per_row = rng.binomial(a.genes, a.density, size=a.cells)
    rows = np.repeat(np.arange(a.cells, dtype=np.int64), per_row)
    cols = rng.integers(0, a.genes, size=rows.size, dtype=np.int64)
    # sorting the combined key orders by row then column; unique drops the few duplicate draws
    keys = np.unique(rows * a.genes + cols)
    rows = (keys // a.genes).astype(np.int64)
    indices = (keys % a.genes).astype(np.int32)
    del keys, cols
    indptr = np.zeros(a.cells + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=a.cells), out=indptr[1:])
    del rows
    data = rng.geometric(0.5, size=indices.size).astype(np.float32)
    if indptr[-1] <= np.iinfo(np.int32).max:
        indptr = indptr.astype(np.int32)
    x = sp.csr_matrix((data, indices, indptr), shape=(a.cells, a.genes))
    obs = pd.DataFrame({"n_counts": np.asarray(x.sum(axis=1)).ravel().astype(np.float32)},
                       index=[f"cell{i}" for i in range(a.cells)])
    var = pd.DataFrame({"n_cells": np.diff(x.tocsc().indptr).astype(np.int64)},
                       index=[f"gene{j}" for j in range(a.genes)])
    ad = anndata.AnnData(X=x, obs=obs, var=var, dtype=np.float32)
    t1 = time.time()
    ad.write_h5ad(a.out, compression=None if a.compression == "none" else "gzip")
    t2 = time.time()
    print(f"wrote {a.out}: {a.cells} x {a.genes}, nnz={x.nnz} ({x.nnz / (a.cells * a.genes):.4%}), "
          f"generate {t1 - t0:.1f} s, write {t2 - t1:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])

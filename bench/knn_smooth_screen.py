#!/usr/bin/env python3
"""Screen (session 22): |Pearson r| on kNN-smoothed expression (each cell := the mean of its k nearest cells in the
top 20 principal components of the standardised values, itself included) against plain |r|, on every set of the
shared benchmarks, scored as the benchmarks' README scores (EPR / AUPRC ratio over TF = the truth's sources x every
truth gene, self-loops out).

usage: /usr/bin/python3 bench/knn_smooth_screen.py [k1,k2,...]      (default 5,15,30; needs h5py, numpy)
The helpers are shared by bench/pc_removal_screen.py and bench/knn_smooth_sets.py.
"""
import csv
import os
import sys

import h5py
import numpy as np

B = os.environ.get("SCGRN_BENCHMARKS", "/work/shared/benchmarks")


def load(name):
    """X (cells x genes, float64), gene names, truth edges, TFs of one benchmark set."""
    f = h5py.File(f"{B}/{name}/data.h5ad", "r")
    X = f["X"]
    if isinstance(X, h5py.Group):
        from scipy.sparse import csr_matrix
        X = csr_matrix((X["data"][:], X["indices"][:], X["indptr"][:]), shape=tuple(X.attrs["shape"])).toarray()
    else:
        X = X[:]
    var = f["var"]
    idx = var.attrs.get("_index", "_index")
    genes = [g.decode() if isinstance(g, bytes) else g for g in var[idx][:]]
    truth = [(r[0], r[1]) for r in csv.reader(open(f"{B}/{name}/truth.csv"))][1:]
    tfs = [l.strip() for l in open(f"{B}/{name}/tfs.txt") if l.strip()]
    return np.nan_to_num(X.astype(np.float64)), genes, truth, tfs


def score(S, genes, truth):
    """(EPR, AUPRC ratio) of |S| over the README's candidates; ties by (TF, target) order."""
    gi = {g: i for i, g in enumerate(genes)}
    src = sorted({a for a, b in truth if a in gi})
    tg = sorted({x for e in truth for x in e if x in gi})
    T = {(a, b) for a, b in truth if a in gi and b in gi and a != b}
    cand = [(a, b) for a in src for b in tg if a != b]
    y = np.array([(a, b) in T for a, b in cand], float)
    s = np.array([abs(S[gi[a], gi[b]]) for a, b in cand])
    order = np.lexsort((np.arange(len(s)), -s))
    k = int(y.sum())
    dens = y.mean()
    epr = y[order[:k]].mean() / dens
    ys = y[order]
    prec = np.cumsum(ys) / np.arange(1, len(ys) + 1)
    return epr, (prec * ys).sum() / k / dens


def pca(X, n):
    Z = X - X.mean(0)
    Z /= Z.std(0) + 1e-12
    U, s, _ = np.linalg.svd(Z, full_matrices=False)
    return U[:, :n] * s[:n]


def knn_smooth(X, P, k):
    out = np.empty_like(X)
    sq = (P ** 2).sum(1)
    for st in range(0, X.shape[0], 500):
        D = sq[st:st + 500, None] + sq[None, :] - 2 * P[st:st + 500] @ P.T
        nb = np.argpartition(D, k, axis=1)[:, :k]
        out[st:st + 500] = X[nb].mean(1)
    return out


def sets():
    return sorted(d for d in os.listdir(B) if os.path.isdir(f"{B}/{d}"))


def smoothed(X, k):
    keep = X.std(0) > 0
    return knn_smooth(X, pca(X[:, keep], min(20, keep.sum() - 1)), k)


if __name__ == "__main__":
    ks = [int(x) for x in sys.argv[1].split(",")] if len(sys.argv) > 1 else [5, 15, 30]
    for name in sets():
        X, genes, truth, _ = load(name)
        row = [name, X.shape, "%.3f/%.3f" % score(np.nan_to_num(np.corrcoef(X.T)), genes, truth)]
        for k in ks:
            row.append("k%d %.3f/%.3f" % ((k,) + score(np.nan_to_num(np.corrcoef(smoothed(X, k).T)), genes, truth)))
        print(*row, flush=True)

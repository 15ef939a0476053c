#!/usr/bin/env python3
"""Screen (session 22): |Pearson r| after regressing the top p principal components out of the standardised values
(Parsana et al. 2019's correction of co-expression networks) against plain |r|, on every shared benchmark set.
usage: /usr/bin/python3 bench/pc_removal_screen.py     (p = 1, 2, 3, 5, 10; last column: variance shares of PC1-4)"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from knn_smooth_screen import load, score, sets  # noqa: E402


def remove_pcs(X, p):
    Z = X - X.mean(0)
    sd = Z.std(0)
    sd[sd == 0] = 1
    Z = Z / sd
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)
    return Z - (U[:, :p] * s[:p]) @ Vt[:p], s


for name in sets():
    X, genes, truth, _ = load(name)
    row = [name, "%.2f/%.2f" % score(np.nan_to_num(np.corrcoef(X.T)), genes, truth)]
    s = None
    for p in [1, 2, 3, 5, 10]:
        if p >= min(X.shape) - 1:
            row.append("-")
            continue
        R, s = remove_pcs(X, p)
        row.append("p%d %.2f/%.2f" % ((p,) + score(np.nan_to_num(np.corrcoef(R.T)), genes, truth)))
    ev = s ** 2 / np.sum(s ** 2)
    row.append("ev %s" % np.round(ev[:4], 3))
    print(*row, flush=True)

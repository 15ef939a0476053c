#!/usr/bin/env python3
"""Copies of the shared benchmark sets with X replaced by its kNN-smoothed values (bench/knn_smooth_screen.py), to
run the default on them: /usr/bin/python3 bench/knn_smooth_sets.py K OUT, then
app/bin/scgrn bench OUT --models=crowd,pearson -q   (session 22: crowd lost on every real group at k = 10 and 30)."""
import os
import shutil
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from knn_smooth_screen import B, load, sets, smoothed  # noqa: E402

k, out = int(sys.argv[1]), sys.argv[2]
for name in sets():
    os.makedirs(f"{out}/{name}", exist_ok=True)
    for fn in ["truth.csv", "tfs.txt", "data.h5ad"]:
        shutil.copy(f"{B}/{name}/{fn}", f"{out}/{name}/{fn}")
    X, _, _, _ = load(name)
    with h5py.File(f"{out}/{name}/data.h5ad", "r+") as f:
        f["X"][...] = smoothed(X, k).astype(np.float32)
shutil.copy(f"{B}/README.md", f"{out}/README.md")

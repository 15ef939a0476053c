#!/usr/bin/python3
"""Makes tiny.h5ad, tfs.txt and truth.csv: the synthetic fixture of the batch tests (80 cells x 40 genes, raw counts,
6 TFs each driving a few planted targets, obs cell_type with two groups). Generated here; part of scgrn (Apache-2.0).
Run with Debian's python3-anndata: /usr/bin/python3 make_tiny.py"""
import anndata
import numpy as np
import pandas as pd

rng = np.random.default_rng(7)
n_cells = 80
tfs = ["SPI1", "GATA1", "TAL1", "KLF1", "CEBPA", "RUNX1"]
targets = [f"GENE{i:02d}" for i in range(34)]
genes = tfs + targets
level = rng.gamma(2.0, 2.0, size=(n_cells, len(tfs)))
rates = np.zeros((n_cells, len(genes)))
rates[:, : len(tfs)] = level
truth = []
for j, g in enumerate(targets):
    rate = rng.gamma(2.0, 1.0, size=n_cells)
    if j < 24:  # 24 planted targets, 4 per TF
        t = j % len(tfs)
        rate = rate + 1.5 * level[:, t]
        truth.append((tfs[t], g))
    rates[:, len(tfs) + j] = rate
X = rng.poisson(rates).astype(np.float32)
obs = pd.DataFrame({"cell_type": pd.Categorical(np.where(np.arange(n_cells) < 40, "A", "B"))},
                   index=[f"cell{i:03d}" for i in range(n_cells)])
var = pd.DataFrame(index=genes)
anndata.AnnData(X=X, obs=obs, var=var).write_h5ad("tiny.h5ad")
with open("tfs.txt", "w") as f:
    f.write("\n".join(tfs) + "\n")
with open("truth.csv", "w") as f:
    f.write("Gene1,Gene2\n" + "".join(f"{a},{b}\n" for a, b in truth))

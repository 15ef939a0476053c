#!/usr/bin/python3
"""Makes synthetic.h5ad, tfs.txt and truth.csv: the scored dataset of examples/batch-example.yaml.

300 cells of 3 cell types x 90 genes (raw counts): 10 TFs whose activity follows 3 shared programs plus cell-type
shifts (so TFs correlate with each other, as real ones do, and correlation alone confuses direct and indirect
targets), 60 targets each driven by 1-2 TFs (activating or repressing, log-linear rates), 20 unregulated genes.
truth.csv lists the 80-odd planted TF -> target edges. Generated here; part of scgrn (Apache-2.0).
Run with Debian's python3-anndata: /usr/bin/python3 make_synthetic.py
"""
import anndata
import numpy as np
import pandas as pd
import scipy.sparse as sp

rng = np.random.default_rng(2024)
n_cells, n_types = 300, 3
tfs = ["SPI1", "GATA1", "TAL1", "KLF1", "CEBPA", "RUNX1", "PAX5", "EBF1", "TCF7", "IRF8"]
targets = [f"TGT{i:02d}" for i in range(60)]
others = [f"BG{i:02d}" for i in range(20)]
cell_type = rng.integers(0, n_types, n_cells)
programs = rng.normal(size=(n_cells, 3)) + np.eye(n_types)[cell_type] * 1.2
loading = rng.normal(scale=0.6, size=(3, len(tfs)))
tf_act = programs @ loading + rng.normal(scale=0.7, size=(n_cells, len(tfs)))
tf_act = (tf_act - tf_act.mean(0)) / tf_act.std(0)
log_rates = [0.8 + 0.6 * tf_act]
truth = []
for j, g in enumerate(targets):
    regs = rng.choice(len(tfs), size=1 + (j % 3 == 0), replace=False)
    eta = 1.0 + rng.normal(scale=0.35, size=n_cells)
    for r in regs:
        w = rng.choice([-1, 1], p=[0.3, 0.7]) * rng.uniform(0.5, 0.9)
        eta = eta + w * tf_act[:, r]
        truth.append((tfs[r], g))
    log_rates.append(eta[:, None])
log_rates.append(1.0 + rng.normal(scale=0.5, size=(n_cells, len(others))))
rates = np.exp(np.hstack(log_rates))
X = sp.csr_matrix(rng.poisson(rates).astype(np.float32))
obs = pd.DataFrame({"cell_type": pd.Categorical([f"type{t}" for t in cell_type])},
                   index=[f"cell{i:03d}" for i in range(n_cells)])
adata = anndata.AnnData(X=X, obs=obs, var=pd.DataFrame(index=tfs + targets + others))
adata.write_h5ad("synthetic.h5ad", compression="gzip")
with open("tfs.txt", "w") as f:
    f.write("\n".join(tfs) + "\n")
with open("truth.csv", "w") as f:
    f.write("Gene1,Gene2\n" + "".join(f"{a},{b}\n" for a, b in truth))
print(adata, len(truth), "true edges")

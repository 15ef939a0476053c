"""Writes tiny.h5ad, the app tests' fixture: 120 cells x 150 genes cut from scanpy's pbmc68k_reduced (BSD-3-Clause,
(c) scanpy developers; see examples/README.md). raw.X (log-normalised) becomes X so values are non-negative; the 150
genes are all human TFs of the Lambert list present in the data plus the most variable other genes; obs keeps
bulk_labels (categorical) and n_counts. Run from the repository root:

    /usr/bin/python3 app/src/test/resources/cli/make_fixture.py
"""
import anndata
import numpy as np

src = anndata.read_h5ad("examples/pbmc68k_reduced.h5ad")
raw = src.raw.to_adata()
tfs = set(line.strip() for line in open("graph-models/src/main/resources/io/scgrn/models/tfs/human.txt")
          if line.strip() and not line.startswith("#"))
rng = np.random.default_rng(0)
cells = np.sort(rng.choice(raw.n_obs, 120, replace=False))
sub = raw[cells].copy()
x = sub.X.toarray()
is_tf = np.array([g in tfs for g in sub.var_names])
var = x.var(axis=0)
others = [i for i in np.argsort(-var) if not is_tf[i]]
keep_tf = [i for i in range(sub.n_vars) if is_tf[i] and var[i] > 0]
genes = sorted(keep_tf + others[: 150 - len(keep_tf)])
out = anndata.AnnData(X=x[:, genes].astype(np.float32),
                      obs=sub.obs[["bulk_labels", "n_counts"]].copy(),
                      var=sub.var.iloc[genes][[]].copy())
out.obs["bulk_labels"] = out.obs["bulk_labels"].cat.remove_unused_categories()
out.write_h5ad("app/src/test/resources/cli/tiny.h5ad", compression="gzip")
print(out, "TFs:", len(keep_tf))

#!/usr/bin/python3
"""Writes an atlas-sized synthetic .h5ad (default 1,000,000 cells x 30,000 genes, gzip CSR counts) with cell
types and a planted TF -> target network, in chunks, so that the generator itself needs little memory.

Needs Debian's python3-h5py and python3-numpy (call /usr/bin/python3 explicitly):

    /usr/bin/python3 bench/make_atlas_h5ad.py --cells 1000000 --out atlas-1m/      # data.h5ad, truth.csv, tfs.txt

Model (per cell c of type t, UMI counts):
  * TF activity z[c, tf] = type mean[t, tf] + N(0, 1): varies within each type, so regulation is visible inside
    types and not only as a type effect.
  * 50 regulating TFs, 450 targets; each target has 1-3 regulators with weights +-0.6..1.0:
    log rate[c, g] = base[g] + type effect[t, g] + sum w[tf, g] * z[c, tf]; TFs: log rate = base + 0.7 z.
    Counts ~ Poisson(size[c] * rate) (about 0.4 UMIs per modelled gene and cell).
  * 29,500 background genes: about 150 UMIs per cell drawn from a type-specific gene distribution
    (log-normal gene abundances, 5% type markers), giving ~300 stored entries per cell in all.
  * tfs.txt lists the 50 regulators plus 150 decoy "TFs" from the background genes; truth.csv (Gene1,Gene2) the
    planted edges.
Each chunk of 10,000 cells has its own random stream (seed, chunk), so --cells 100000 writes exactly the first
100,000 cells of the 1,000,000-cell file (a subsample with the same network).

Layout: anndata 0.8+ encoding (X csr_matrix float32 with gzip level 4 and chunked, resizable datasets; obs
_index + categorical cell_type; var _index), readable by anndata and scgrn.
"""
import argparse
import os
import sys
import time

import h5py
import numpy as np

CHUNK = 10_000
N_TF = 50
N_TARGET = 450
N_DECOY = 150


def network(genes, seed):
    """Regulators, targets, weights (N_TF x N_TARGET) and the planted edges."""
    rng = np.random.default_rng([seed, 0])
    w = np.zeros((N_TF, N_TARGET))
    for j in range(N_TARGET):
        k = rng.integers(1, 4)
        regs = rng.choice(N_TF, size=k, replace=False)
        w[regs, j] = rng.uniform(0.6, 1.0, size=k) * rng.choice([-1, 1], size=k, p=[0.3, 0.7])
    return w


def str_array(group, name, values):
    ds = group.create_dataset(name, data=np.array(values, dtype=object), dtype=h5py.string_dtype())
    ds.attrs["encoding-type"] = "string-array"
    ds.attrs["encoding-version"] = "0.2.0"


def empty_dict(f, name):
    g = f.create_group(name)
    g.attrs["encoding-type"] = "dict"
    g.attrs["encoding-version"] = "0.1.0"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output folder (data.h5ad, truth.csv, tfs.txt)")
    ap.add_argument("--cells", type=int, default=1_000_000)
    ap.add_argument("--genes", type=int, default=30_000)
    ap.add_argument("--types", type=int, default=12)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)
    n_model = N_TF + N_TARGET
    if a.genes < n_model + N_DECOY + 100 or a.cells < 2 or a.types < 1:
        ap.error("need genes >= %d, cells >= 2, types >= 1" % (n_model + N_DECOY + 100))
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    g_all = a.genes
    n_bg = g_all - n_model
    names = ["TF%03d" % i for i in range(N_TF)] + ["TG%04d" % i for i in range(N_TARGET)] + \
            ["BG%05d" % i for i in range(n_bg)]
    w = network(names, a.seed)
    rng0 = np.random.default_rng([a.seed, 1])
    # modelled genes: base rates and type effects
    base = rng0.normal(np.log(0.35), 0.3, size=n_model)
    type_eff = rng0.normal(0, 0.25, size=(a.types, n_model))
    tf_type_mean = rng0.normal(0, 0.8, size=(a.types, N_TF))
    # background: log-normal abundances, 5% markers up 3x in one type
    bg_logp = rng0.normal(0, 1.5, size=n_bg)
    bg_p = np.empty((a.types, n_bg))
    for t in range(a.types):
        lp = bg_logp.copy()
        markers = rng0.choice(n_bg, size=n_bg // 20, replace=False)
        lp[markers] += np.log(3) * (rng0.random(markers.size) < 1.0 / a.types * 3)
        p = np.exp(lp)
        bg_p[t] = p / p.sum()
    bg_cdf = np.cumsum(bg_p, axis=1)
    decoys = rng0.choice(n_bg, size=N_DECOY, replace=False)
    type_prob = rng0.dirichlet(np.full(a.types, 3.0))

    with open(os.path.join(a.out, "tfs.txt"), "w") as f:
        for i in range(N_TF):
            f.write(names[i] + "\n")
        for d in sorted(decoys):
            f.write(names[n_model + d] + "\n")
    with open(os.path.join(a.out, "truth.csv"), "w") as f:
        f.write("Gene1,Gene2\n")
        for i in range(N_TF):
            for j in range(N_TARGET):
                if w[i, j] != 0:
                    f.write("%s,%s\n" % (names[i], names[N_TF + j]))

    path = os.path.join(a.out, "data.h5ad")
    tmp = path + ".part"
    with h5py.File(tmp, "w") as f:
        f.attrs["encoding-type"] = "anndata"
        f.attrs["encoding-version"] = "0.1.0"
        x = f.create_group("X")
        x.attrs["encoding-type"] = "csr_matrix"
        x.attrs["encoding-version"] = "0.1.0"
        x.attrs["shape"] = np.array([a.cells, g_all], dtype=np.int64)
        kw = dict(maxshape=(None,), chunks=(1 << 18,), compression="gzip", compression_opts=4)
        data = x.create_dataset("data", shape=(0,), dtype=np.float32, **kw)
        indices = x.create_dataset("indices", shape=(0,), dtype=np.int32, **kw)
        indptr = np.zeros(a.cells + 1, dtype=np.int64)
        types = np.empty(a.cells, dtype=np.int8)
        nnz = 0
        for c0 in range(0, a.cells, CHUNK):
            n = min(CHUNK, a.cells - c0)
            rng = np.random.default_rng([a.seed, 2, c0 // CHUNK])
            t = rng.choice(a.types, size=n, p=type_prob)
            types[c0:c0 + n] = t
            size = np.exp(rng.normal(0, 0.35, size=n))
            z = tf_type_mean[t] + rng.normal(0, 1, size=(n, N_TF))
            lr = np.empty((n, n_model))
            lr[:, :N_TF] = base[:N_TF] + type_eff[t, :N_TF] + 0.7 * z
            lr[:, N_TF:] = base[N_TF:] + type_eff[t, N_TF:] + z @ w
            counts_m = rng.poisson(size[:, None] * np.exp(np.minimum(lr, 4.0)))
            # background: ~150 UMIs per cell from the type's gene distribution
            n_bg_umi = rng.poisson(150 * size)
            cell_of = np.repeat(np.arange(n), n_bg_umi)
            u = rng.random(cell_of.size)
            genes_bg = np.empty(cell_of.size, dtype=np.int64)
            for tt in range(a.types):
                sel = t[cell_of] == tt
                genes_bg[sel] = np.minimum(np.searchsorted(bg_cdf[tt], u[sel]), n_bg - 1)
            key = np.unique(cell_of * g_all + n_model + genes_bg, return_counts=True)
            rm, cm = np.nonzero(counts_m)
            key_m = rm.astype(np.int64) * g_all + cm
            keys = np.concatenate([key_m, key[0]])
            vals = np.concatenate([counts_m[rm, cm], key[1]]).astype(np.float32)
            order = np.argsort(keys, kind="stable")
            keys = keys[order]
            vals = vals[order]
            rows = keys // g_all
            cols = (keys % g_all).astype(np.int32)
            per_row = np.bincount(rows, minlength=n)
            indptr[c0 + 1:c0 + n + 1] = nnz + np.cumsum(per_row)
            m = vals.size
            data.resize((nnz + m,))
            indices.resize((nnz + m,))
            data[nnz:nnz + m] = vals
            indices[nnz:nnz + m] = cols
            nnz += m
            if (c0 // CHUNK) % 10 == 0:
                print("%d cells, %d entries, %.0f s" % (c0 + n, nnz, time.time() - t0), file=sys.stderr)
        x.create_dataset("indptr", data=indptr, compression="gzip", compression_opts=4)

        obs = f.create_group("obs")
        obs.attrs["encoding-type"] = "dataframe"
        obs.attrs["encoding-version"] = "0.2.0"
        obs.attrs["_index"] = "_index"
        obs.attrs["column-order"] = np.array(["cell_type"], dtype=object).astype(h5py.string_dtype())
        obs.create_dataset("_index", data=np.char.add("c", np.char.zfill(np.arange(a.cells).astype(str), 7))
                           .astype(object), dtype=h5py.string_dtype(), compression="gzip")
        obs["_index"].attrs["encoding-type"] = "string-array"
        obs["_index"].attrs["encoding-version"] = "0.2.0"
        ct = obs.create_group("cell_type")
        ct.attrs["encoding-type"] = "categorical"
        ct.attrs["encoding-version"] = "0.2.0"
        ct.attrs["ordered"] = False
        ct.create_dataset("codes", data=types, compression="gzip")
        str_array(ct, "categories", ["type%02d" % i for i in range(a.types)])

        var = f.create_group("var")
        var.attrs["encoding-type"] = "dataframe"
        var.attrs["encoding-version"] = "0.2.0"
        var.attrs["_index"] = "_index"
        var.attrs["column-order"] = np.array([], dtype=object).astype(h5py.string_dtype())
        str_array(var, "_index", names)
        for name in ["layers", "obsm", "obsp", "varm", "varp", "uns"]:
            empty_dict(f, name)
    os.replace(tmp, path)
    print("wrote %s: %d cells x %d genes, %d entries (%.1f per cell), %d planted edges, %.0f s"
          % (path, a.cells, g_all, nnz, nnz / a.cells, int((w != 0).sum()), time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])

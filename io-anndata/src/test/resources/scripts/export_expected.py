#!/usr/bin/python3
"""Reads every test file with the reference tools and writes the values the Java readers must reproduce.

Usage: /usr/bin/python3 export_expected.py   (writes ../expected.json next to formats/ and fixtures/)
Needs Debian's python3-anndata (0.8), python3-h5py, numpy, scipy, pandas. .h5ad files are read with
anndata.read_h5ad; .h5mu modalities with anndata.experimental.read_elem per element (anndata 0.8 has no MuData and
cannot read nullable-string-array, so MuData global tables are read with plain h5py); 10x .h5 files with h5py,
the way scanpy.read_10x_h5 does (var names = feature names, gene_ids = feature ids, matrix transposed to
cells x genes). Floats are written with repr precision; NaN/NA become null.
"""
import glob
import json
import math
import os

import anndata as ad
import h5py
import numpy as np
import pandas as pd
import scipy.sparse as sp
from anndata._io.specs.registry import IOSpec, _REGISTRY
from anndata.experimental import read_elem

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")


@_REGISTRY.register_read(h5py.Group, IOSpec("nullable-string-array", "0.1.0"))
def read_nullable_string(elem):
    # anndata 0.8 predates nullable-string-array (anndata 0.10); this follows the spec: values + mask (True = NA)
    values = read_elem(elem["values"]).astype(object)
    values[elem["mask"][...]] = None
    return pd.array(values, dtype="string")


MUON_NAMES = {"Gene Expression": "rna", "Peaks": "atac", "Antibody Capture": "prot"}


def num(v):
    if v is None or v is pd.NA:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    return None if math.isnan(f) else f


def column(s):
    if isinstance(s.dtype, pd.CategoricalDtype):
        return {"type": "categorical", "categories": [str(c) for c in s.cat.categories],
                "codes": s.cat.codes.astype(int).tolist(), "ordered": bool(s.cat.ordered)}
    if pd.api.types.is_bool_dtype(s.dtype):
        return {"type": "bool", "values": [None if v is pd.NA else bool(v) for v in s]}
    if pd.api.types.is_numeric_dtype(s.dtype):
        return {"type": "numeric", "values": [num(v) for v in s]}
    return {"type": "string", "values": [None if (v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)))
                                         else str(v) for v in s]}


def frame(df):
    return {"index": [str(i) for i in df.index], "columns": {c: column(df[c]) for c in df.columns}}


def matrix(m):
    if m is None:
        return None
    if sp.issparse(m):
        enc = "csr_matrix" if sp.isspmatrix_csr(m) else "csc_matrix"
        nnz = int(m.nnz)
        total = float(m.sum(dtype=np.float64))
        dense_get = lambda i, j: m[i, j]
    else:
        m = np.asarray(m)
        enc = "array"
        nnz = int(m.size)
        total = float(m.sum(dtype=np.float64))
        dense_get = lambda i, j: m[i, j]
    rows, cols = m.shape
    entries = []
    for k in range(min(rows, 9)):
        i = (k * 13 + 1) % rows
        j = (k * 7 + 3) % cols if cols else 0
        if cols:
            entries.append([i, j, float(dense_get(i, j))])
    return {"encoding": enc, "shape": [int(rows), int(cols)], "dtype": str(m.dtype), "nnz": nnz, "sum": total,
            "entries": entries}


def anndata_report(a):
    out = {"n_obs": int(a.n_obs), "n_vars": int(a.n_vars), "obs": frame(a.obs), "var": frame(a.var),
           "x": matrix(a.X),
           "layers": {k: matrix(v) for k, v in a.layers.items()},
           "obsm": {k: list(v.shape) for k, v in a.obsm.items() if not isinstance(v, pd.DataFrame)},
           "varm": {k: list(v.shape) for k, v in a.varm.items() if not isinstance(v, pd.DataFrame)},
           "obsp": {k: matrix(v) for k, v in a.obsp.items()},
           "uns_keys": sorted(a.uns.keys())}
    if a.raw is not None:
        out["raw"] = {"var_names": [str(v) for v in a.raw.var_names], "x": matrix(a.raw.X)}
    return out


def h5ad(path):
    return {"kind": "h5ad", "mods": {"rna": anndata_report(ad.read_h5ad(path))}}


def strings(ds):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in ds[...]]


def global_index(f, name):
    g = f[name]
    idx = g.attrs["_index"]
    node = g[idx]
    if isinstance(node, h5py.Group):  # nullable-string-array
        return strings(node["values"])
    return strings(node)


def mod_report(g):
    elems = {k: read_elem(g[k]) for k in g.keys() if k in ("obs", "var", "X", "layers", "obsm", "varm", "obsp",
                                                         "uns")}
    a = ad.AnnData(X=elems.get("X"), obs=elems["obs"], var=elems["var"], dtype=None if "X" not in elems
                   else elems["X"].dtype)
    for k in ("layers", "obsm", "varm", "obsp", "uns"):
        for key, v in (elems.get(k) or {}).items():
            getattr(a, k)[key] = v
    rep = anndata_report(a)
    if "raw" in g:
        rv = read_elem(g["raw/var"])
        rep["raw"] = {"var_names": [str(v) for v in rv.index], "x": matrix(read_elem(g["raw/X"]))}
    return rep


def h5mu(path):
    with h5py.File(path, "r") as f:
        names = list(f["mod"].keys())
        order = f["mod"].attrs.get("mod-order")
        if order is not None and sorted(order) == sorted(names):
            names = [str(n) for n in order]
        return {"kind": "h5mu", "axis": int(f.attrs.get("axis", 0)), "obs_names": global_index(f, "obs"),
                "var_names": global_index(f, "var"), "mod_order": names,
                "mods": {n: mod_report(f["mod"][n]) for n in names}}


def tenx(path):
    with h5py.File(path, "r") as f:
        if "matrix" in f:
            g = f["matrix"]
            feats = {k: strings(g["features"][k]) for k in ("id", "name", "feature_type", "genome", "interval")
                     if k in g["features"]}
            kind = "10x-v3"
            groups = [(None, g)]
        else:
            kind = "10x-v2"
            groups = [(k, f[k]) for k in f.keys()]
        mods = {}
        order = []
        for genome, g in groups:
            nf, nc = (int(v) for v in g["shape"][...])
            m = sp.csc_matrix((g["data"][...], g["indices"][...], g["indptr"][...]), shape=(nf, nc)).T.tocsr()
            barcodes = strings(g["barcodes"])
            if genome is None:
                types = feats["feature_type"]
                for t in dict.fromkeys(types):
                    cols = [j for j, v in enumerate(types) if v == t]
                    var = pd.DataFrame({"gene_ids": [feats["id"][j] for j in cols],
                                        "feature_types": [types[j] for j in cols]},
                                       index=[feats["name"][j] for j in cols])
                    for extra in ("genome", "interval"):
                        if extra in feats:
                            var[extra] = [feats[extra][j] for j in cols]
                    a = ad.AnnData(X=m[:, cols], obs=pd.DataFrame(index=barcodes), var=var, dtype=m.dtype)
                    name = MUON_NAMES.get(t, t)
                    mods[name] = anndata_report(a)
                    order.append(name)
            else:
                var = pd.DataFrame({"gene_ids": strings(g["genes"])}, index=strings(g["gene_names"]))
                a = ad.AnnData(X=m, obs=pd.DataFrame(index=barcodes), var=var, dtype=m.dtype)
                mods[genome] = anndata_report(a)
                order.append(genome)
        return {"kind": kind, "mod_order": order, "mods": mods}


def main():
    files = sorted(glob.glob(os.path.join(ROOT, "formats", "**", "*.h5*"), recursive=True))
    files += sorted(glob.glob(os.path.join(ROOT, "fixtures", "*.h5*")))
    out = {}
    for p in files:
        rel = os.path.relpath(p, ROOT)
        if p.endswith(".h5ad"):
            out[rel] = h5ad(p)
        elif p.endswith(".h5mu"):
            out[rel] = h5mu(p)
        else:
            out[rel] = tenx(p)
    with open(os.path.join(ROOT, "expected.json"), "w") as fh:
        json.dump({"anndata": ad.__version__, "files": out}, fh, indent=None, separators=(",", ":"),
                  allow_nan=False)


if __name__ == "__main__":
    main()

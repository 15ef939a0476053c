#!/usr/bin/python3
"""Reads .h5ad files with anndata (Debian python3-anndata 0.8) and h5py and prints one JSON document.

Usage: /usr/bin/python3 readback.py FILE [FILE ...]
Output: {"anndata": VERSION, "files": [REPORT, ...]} where REPORT describes what anndata.read_h5ad returned
(X, obs, var, obsm, varm, obsp, varp, layers, uns, raw) with dtypes and exact values, plus "h5" with every HDF5
element that lacks encoding-type/encoding-version attributes and the dtypes h5py sees. Used by H5adWriterTest
to compare what Java wrote with what Python reads. Floats are printed with repr precision (exact round trip).
"""
import json
import sys

import anndata
import h5py
import numpy as np
import pandas as pd
import scipy.sparse as sp


def matrix(m):
    if sp.issparse(m):
        kind = "csr" if sp.isspmatrix_csr(m) else "csc" if sp.isspmatrix_csc(m) else type(m).__name__
        return {"type": kind, "dtype": str(m.dtype), "shape": list(m.shape), "data": m.data.tolist(),
                "indices": m.indices.tolist(), "indptr": m.indptr.tolist()}
    a = np.asarray(m)
    return {"type": "dense", "dtype": str(a.dtype), "shape": list(a.shape), "data": a.ravel().tolist()}


def series(s):
    out = {"dtype": str(s.dtype)}
    if isinstance(s.dtype, pd.CategoricalDtype):
        out["codes"] = s.cat.codes.tolist()
        out["categories"] = s.cat.categories.tolist()
        out["categories_dtype"] = str(s.cat.categories.dtype)
        out["ordered"] = bool(s.cat.ordered)
    elif isinstance(s.dtype, (pd.BooleanDtype, pd.api.extensions.ExtensionDtype)) and hasattr(s, "isna"):
        out["values"] = [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in s]
    else:
        out["values"] = s.tolist()
    return out


def frame(df):
    return {"type": "dataframe", "index": [str(i) for i in df.index], "index_name": df.index.name,
            "columns": list(df.columns), "series": {c: series(df[c]) for c in df.columns}}


def value(v):
    if isinstance(v, dict):
        return {"type": "dict", "items": {k: value(x) for k, x in v.items()}}
    if isinstance(v, pd.DataFrame):
        return frame(v)
    if sp.issparse(v):
        return matrix(v)
    if isinstance(v, str):
        return {"type": "str", "value": v}
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "OUS":
            return {"type": "array", "dtype": "str", "shape": list(v.shape), "data": [str(x) for x in v.ravel()]}
        return {"type": "array", "dtype": str(v.dtype), "shape": list(v.shape), "data": v.ravel().tolist()}
    if isinstance(v, (np.generic, bool, int, float)):
        a = np.asarray(v)
        return {"type": "scalar", "dtype": str(a.dtype), "value": a.item()}
    return {"type": "other", "python_type": type(v).__name__, "repr": repr(v)}


def h5_report(path):
    missing = []
    dtypes = {}

    def visit(name, obj):
        if "encoding-type" not in obj.attrs or "encoding-version" not in obj.attrs:
            # children of csr/csc groups and of categoricals/nullables are plain arrays in anndata's spec too
            parent = obj.parent.attrs.get("encoding-type", b"")
            parent = parent.decode() if isinstance(parent, bytes) else parent
            if parent not in ("csr_matrix", "csc_matrix", "nullable-integer", "nullable-boolean"):
                missing.append("/" + name)
        if isinstance(obj, h5py.Dataset):
            dtypes["/" + name] = str(obj.dtype)

    with h5py.File(path, "r") as f:
        if "encoding-type" not in f.attrs:
            missing.append("/")
        f.visititems(visit)
        attr_types = {}
        for name in ("obs", "var"):
            if name in f:
                attr_types[name] = {k: str(f[name].attrs.get_id(k).dtype) for k in f[name].attrs}
        ordered = {}

        def find_ordered(name, obj):
            if "ordered" in obj.attrs:
                ordered["/" + name] = type(obj.attrs["ordered"]).__name__

        f.visititems(find_ordered)
    return {"missing_encoding": missing, "dtypes": dtypes, "frame_attrs": attr_types, "ordered_types": ordered}


def report(path):
    a = anndata.read_h5ad(path)
    out = {"n_obs": a.n_obs, "n_vars": a.n_vars,
           "X": None if a.X is None else matrix(a.X),
           "obs": frame(a.obs), "var": frame(a.var),
           "uns": value(dict(a.uns)),
           "raw": None}
    for name in ("obsm", "varm", "obsp", "varp", "layers"):
        out[name] = {k: matrix(v) for k, v in getattr(a, name).items()}
    if a.raw is not None:
        out["raw"] = {"X": matrix(a.raw.X), "var": frame(a.raw.var),
                      "varm": {k: matrix(v) for k, v in a.raw.varm.items()}}
    out["h5"] = h5_report(path)
    return out


def main(paths):
    json.dump({"anndata": anndata.__version__, "files": [report(p) for p in paths]}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])

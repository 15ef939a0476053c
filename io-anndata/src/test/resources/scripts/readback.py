#!/usr/bin/python3
"""Reads .h5ad files with anndata (Debian python3-anndata 0.8) and h5py and prints one JSON document.

Usage: /usr/bin/python3 readback.py FILE [FILE ...]
       /usr/bin/python3 readback.py --compare ORIGINAL REWRITTEN [ORIGINAL REWRITTEN ...]
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


def _dense(m):
    return np.asarray(m.toarray() if sp.issparse(m) else m)


def _same_array(a, b):
    a, b = _dense(a), _dense(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        return np.array_equal(a, b, equal_nan=True)
    return np.array_equal(a, b)


def _series_diff(name, a, b):
    if str(a.dtype) != str(b.dtype):
        return f"{name}: dtype {a.dtype} became {b.dtype}"
    if isinstance(a.dtype, pd.CategoricalDtype):
        if (len(a.cat.categories) == 0 and list(b.cat.categories) == [""] and (a.cat.codes == -1).all()
                and (b.cat.codes == -1).all()):
            return None  # the writer's documented placeholder: jhdf cannot write an empty categories array
        if list(a.cat.categories) != list(b.cat.categories) or a.cat.ordered != b.cat.ordered:
            return f"{name}: categories/ordered differ"
        if not np.array_equal(a.cat.codes.to_numpy(), b.cat.codes.to_numpy()):
            return f"{name}: codes differ"
        return None
    if not a.reset_index(drop=True).equals(b.reset_index(drop=True)):
        return f"{name}: values differ"
    return None


def _frame_diffs(name, a, b):
    out = []
    if list(a.index) != list(b.index):
        out.append(f"{name}: index differs")
    if list(a.columns) != list(b.columns):
        out.append(f"{name}: columns {list(a.columns)} became {list(b.columns)}")
    for c in a.columns:
        if c in b.columns:
            d = _series_diff(f"{name}.{c}", a[c], b[c])
            if d:
                out.append(d)
    return out


def _keys(d, prefix=()):
    out = set()
    for k, v in d.items():
        out.add(prefix + (k,))
        if isinstance(v, dict):
            out |= _keys(v, prefix + (k,))
    return out


def compare(orig, new):
    """Differences between what anndata reads from the original and from its rewrite."""
    try:
        a = anndata.read_h5ad(orig)
    except Exception as e:  # anndata 0.8 cannot read some newer encodings (nullable-string-array)
        return {"orig": orig, "skipped": f"anndata cannot read the original: {type(e).__name__}: {e}"}
    b = anndata.read_h5ad(new)
    diffs = []
    if a.shape != b.shape:
        diffs.append(f"shape {a.shape} became {b.shape}")
    if (a.X is None) != (b.X is None):
        diffs.append("X presence differs")
    elif a.X is not None:
        if str(a.X.dtype) != str(b.X.dtype):
            diffs.append(f"X dtype {a.X.dtype} became {b.X.dtype}")
        if sp.issparse(a.X) != sp.issparse(b.X):
            diffs.append("X sparsity differs")
        if not _same_array(a.X, b.X):
            diffs.append("X values differ")
    diffs += _frame_diffs("obs", a.obs, b.obs)
    diffs += _frame_diffs("var", a.var, b.var)
    frames = []
    for attr in ("obsm", "varm", "obsp", "varp", "layers"):
        ma, mb = getattr(a, attr), getattr(b, attr)
        # scgrn's model holds matrices only there; a data frame in obsm/varm is dropped by the reader (logged)
        frames += [f"{attr}/{k}" for k in ma.keys() if isinstance(ma[k], pd.DataFrame)]
        keys_a = sorted(k for k in ma.keys() if not isinstance(ma[k], pd.DataFrame))
        if keys_a != sorted(mb.keys()):
            diffs.append(f"{attr} keys {keys_a} became {sorted(mb.keys())}")
        for k in keys_a:
            if k in mb and not _same_array(ma[k], mb[k]):
                diffs.append(f"{attr}/{k} values differ")
    # uns keys that are lost, as paths of keys; the writer leaves out names HDF5 cannot hold (with "/")
    lost = [list(k) for k in sorted(_keys(dict(a.uns)) - _keys(dict(b.uns)))]
    if (a.raw is None) != (b.raw is None):
        diffs.append("raw presence differs")
    elif a.raw is not None:
        if not _same_array(a.raw.X, b.raw.X):
            diffs.append("raw.X values differ")
        if list(a.raw.var_names) != list(b.raw.var_names):
            diffs.append("raw.var index differs")
    return {"orig": orig, "diffs": diffs, "uns_lost": lost, "frames_not_rewritten": frames}


def main(args):
    if args and args[0] == "--compare":
        pairs = args[1:]
        results = [compare(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
        json.dump({"anndata": anndata.__version__, "compared": results}, sys.stdout)
    else:
        json.dump({"anndata": anndata.__version__, "files": [report(p) for p in args]}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])

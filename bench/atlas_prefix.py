#!/usr/bin/python3
"""Copies the first N cells (or N cells from START) of an atlas written by make_atlas_h5ad.py (CSR X, obs _index + cell_type) into a new
.h5ad, in blocks: the same cells the generator would write with --cells N (its chunks have their own random
streams), without generating them again. Needs Debian's python3-h5py and python3-numpy:

    /usr/bin/python3 bench/atlas_prefix.py atlas-1m/data.h5ad 400000 atlas-400k/data.h5ad
    /usr/bin/python3 bench/atlas_prefix.py atlas-1m/data.h5ad 100000 atlas-2nd100k/data.h5ad 100000   # from START
"""
import sys

import h5py
import numpy as np

BLOCK = 1 << 24


def copy_attrs(src, dst):
    for k, v in src.attrs.items():
        dst.attrs[k] = v


def main(src_path, n, out_path, start="0"):
    n, start = int(n), int(start)
    with h5py.File(src_path, "r") as src, h5py.File(out_path, "w") as out:
        copy_attrs(src, out)
        sx = src["X"]
        indptr = sx["indptr"][start: start + n + 1]
        first = int(indptr[0])
        indptr = indptr - first
        nnz = int(indptr[-1])
        x = out.create_group("X")
        copy_attrs(sx, x)
        x.attrs["shape"] = np.array([n, sx.attrs["shape"][1]], dtype=np.int64)
        for name in ("data", "indices"):
            d = x.create_dataset(name, shape=(nnz,), dtype=sx[name].dtype, chunks=(1 << 18,), compression="gzip",
                                 compression_opts=4)
            for at in range(0, nnz, BLOCK):
                d[at:min(nnz, at + BLOCK)] = sx[name][first + at:first + min(nnz, at + BLOCK)]
        x.create_dataset("indptr", data=indptr, compression="gzip", compression_opts=4)
        obs = out.create_group("obs")
        copy_attrs(src["obs"], obs)
        obs.create_dataset("_index", data=src["obs/_index"][start:start + n], compression="gzip")
        copy_attrs(src["obs/_index"], obs["_index"])
        ct = obs.create_group("cell_type")
        copy_attrs(src["obs/cell_type"], ct)
        ct.create_dataset("codes", data=src["obs/cell_type/codes"][start:start + n], compression="gzip")
        src.copy(src["obs/cell_type/categories"], ct, "categories")
        for name in src.keys():
            if name not in ("X", "obs"):
                src.copy(src[name], out, name)
    print(f"wrote {out_path}: cells {start}..{start + n - 1}, {nnz} entries")


if __name__ == "__main__":
    main(*sys.argv[1:])

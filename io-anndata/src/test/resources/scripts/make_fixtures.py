#!/usr/bin/python3
"""Writes the small reader fixtures under src/test/resources/fixtures/ (run from anywhere).

Usage: /usr/bin/python3 make_fixtures.py
Needs Debian's python3-anndata (0.8), python3-h5py, numpy, scipy, pandas. Deterministic (seeded), so running it
again rewrites the same content. anndata 0.8 cannot write nullable-string-array or some legacy layouts, so those
are written with h5py following the anndata on-disk spec (https://anndata.readthedocs.io/en/latest/fileformat-prose.html).
Valid fixtures end in .h5ad/.h5mu/.h5; corrupt ones live in fixtures/bad/.
"""
import os
import shutil

import anndata as ad
import h5py
import numpy as np
import pandas as pd
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures")
BAD = os.path.join(OUT, "bad")
STR = h5py.special_dtype(vlen=str)


def path(name):
    return os.path.join(OUT, name)


def bad(name):
    return os.path.join(BAD, name)


def base_adata(rng, n_obs=23, n_vars=9, x=None):
    obs = pd.DataFrame(index=[f"cell{i}" for i in range(n_obs)])
    obs["cat"] = pd.Categorical(rng.choice(["B", "T", "NK"], n_obs), categories=["B", "T", "NK"])
    obs["cat_ordered"] = pd.Categorical(rng.choice(["lo", "mid", "hi"], n_obs), categories=["lo", "mid", "hi"],
                                        ordered=True)
    obs["cat_int"] = pd.Categorical(rng.choice([3, 5, 8], n_obs))
    obs["n_counts"] = rng.random(n_obs).astype(np.float32)
    obs["n_genes"] = rng.integers(0, 1000, n_obs).astype(np.int64)
    obs["flag"] = rng.random(n_obs) > 0.5
    obs["label"] = [f"lab{i % 4}" for i in range(n_obs)]
    var = pd.DataFrame(index=[f"gene{j}" for j in range(n_vars)])
    var["means"] = rng.random(n_vars)
    var["highly_variable"] = rng.random(n_vars) > 0.3
    if x is None:
        x = rng.random((n_obs, n_vars)).astype(np.float32)
    a = ad.AnnData(X=x, obs=obs, var=var, dtype=x.dtype)  # anndata 0.8 would cast X to float32
    a.obs["label"] = a.obs["label"].astype(object)  # keep a plain string column (string-array)
    return a


def sparse_x(rng, n_obs, n_vars, dtype, density=0.3):
    m = sp.random(n_obs, n_vars, density=density, random_state=np.random.RandomState(7), format="csr")
    m.data = (m.data * 100).astype(dtype)
    return m


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(BAD)
    rng = np.random.default_rng(42)

    # dense float32 X, many column types, obsm/varm/obsp/layers/uns
    a = base_adata(rng)
    a.obsm["X_umap"] = rng.random((a.n_obs, 2))
    a.obsm["X_pca"] = rng.random((a.n_obs, 5)).astype(np.float32)
    a.varm["PCs"] = rng.random((a.n_vars, 5))
    a.obsp["connectivities"] = sp.random(a.n_obs, a.n_obs, density=0.1, format="csr",
                                         random_state=np.random.RandomState(3))
    a.layers["counts"] = sp.csr_matrix((a.X * 10).round())
    a.uns["title"] = "fixture"
    a.uns["n"] = 7
    a.uns["pi"] = 3.5
    a.uns["nested"] = {"colors": np.array(["#ff0000", "#00ff00"], dtype=object), "k": np.arange(4)}
    a.uns["rec"] = np.rec.fromarrays([np.arange(3), np.array([0.5, 1.5, 2.5])], names="idx,val")
    a.write_h5ad(path("dense_f32.h5ad"))

    # csr float64 with raw; csc int32; csr with int64 indices/indptr and uint16 data
    a = base_adata(rng, x=sparse_x(rng, 23, 9, np.float64))
    a.raw = a
    a = a[:, :6].copy()
    a.write_h5ad(path("csr_f64_raw.h5ad"))
    a = base_adata(rng, x=sparse_x(rng, 23, 9, np.int32).tocsc())
    a.write_h5ad(path("csc_i32.h5ad"))
    a = base_adata(rng, x=sparse_x(rng, 23, 9, np.uint16))
    a.write_h5ad(path("csr_int64_indptr.h5ad"))
    with h5py.File(path("csr_int64_indptr.h5ad"), "r+") as f:
        for k in ("indices", "indptr"):
            v = f["X"][k][...].astype(np.int64)
            del f["X"][k]
            f["X"].create_dataset(k, data=v)

    # compression: lzf (incl. string columns) and gzip + shuffle
    a = base_adata(rng, x=sparse_x(rng, 23, 9, np.float32))
    a.write_h5ad(path("lzf.h5ad"), compression="lzf")
    a = base_adata(rng)
    a.write_h5ad(path("gzip_shuffle.h5ad"))
    with h5py.File(path("gzip_shuffle.h5ad"), "r+") as f:
        x = f["X"][...]
        attrs = dict(f["X"].attrs)
        del f["X"]
        d = f.create_dataset("X", data=x, chunks=(5, 4), compression="gzip", shuffle=True)
        d.attrs.update(attrs)

    # no X at all
    a = base_adata(rng)
    a.X = None
    a.write_h5ad(path("no_x.h5ad"))

    # nullable columns, written by hand (anndata 0.8 cannot write all of them)
    a = base_adata(rng)
    a.write_h5ad(path("nullable.h5ad"))
    n = a.n_obs
    with h5py.File(path("nullable.h5ad"), "r+") as f:
        obs = f["obs"]
        mask = np.zeros(n, dtype=bool)
        mask[[1, 4, 9]] = True
        g = obs.create_group("nint")
        g.attrs.update({"encoding-type": "nullable-integer", "encoding-version": "0.1.0"})
        g.create_dataset("values", data=np.arange(n, dtype=np.int32) * 3)
        g.create_dataset("mask", data=mask)
        g = obs.create_group("nbool")
        g.attrs.update({"encoding-type": "nullable-boolean", "encoding-version": "0.1.0"})
        g.create_dataset("values", data=np.arange(n) % 3 == 0)
        g.create_dataset("mask", data=np.roll(mask, 1))
        g = obs.create_group("nstr")
        g.attrs.update({"encoding-type": "nullable-string-array", "encoding-version": "0.1.0"})
        d = g.create_dataset("values", data=np.array([f"s{i}" for i in range(n)], dtype=object), dtype=STR)
        d.attrs.update({"encoding-type": "string-array", "encoding-version": "0.2.0"})
        g.create_dataset("mask", data=np.roll(mask, 2))
        order = list(obs.attrs["column-order"]) + ["nint", "nbool", "nstr"]
        obs.attrs["column-order"] = np.array(order, dtype=object)

    # anndata 0.7 style dataframe (0.1.0) with __categories references, lzf strings without filter options
    with h5py.File(path("legacy_07.h5ad"), "w") as f:
        n, m = 11, 4
        x = f.create_dataset("X", data=np.arange(n * m, dtype=np.float32).reshape(n, m))
        for name, size, cats in (("obs", n, ["a", "b", "c"]), ("var", m, ["u", "v"])):
            g = f.create_group(name)
            g.attrs.update({"_index": "_index", "encoding-type": "dataframe", "encoding-version": "0.1.0",
                            "column-order": np.array(["kind", "score"], dtype=object)})
            g.create_dataset("_index", data=np.array([f"{name}{i}" for i in range(size)], dtype=object),
                             dtype=STR, compression="lzf")
            cg = g.create_group("__categories")
            c = cg.create_dataset("kind", data=np.array(cats, dtype=object), dtype=STR)
            c.attrs["ordered"] = name == "var"
            codes = g.create_dataset("kind", data=(np.arange(size) % len(cats)).astype(np.int8))
            codes.attrs["categories"] = c.ref
            g.create_dataset("score", data=np.linspace(0, 1, size))
        f.create_group("uns")

    # anndata 0.5 style: compound obs/var, categories in uns, h5sparse raw.X
    with h5py.File(path("legacy_05.h5ad"), "w") as f:
        n, m = 7, 5
        f.create_dataset("X", data=np.arange(n * m, dtype=np.float32).reshape(n, m))
        obs = np.zeros(n, dtype=[("index", "S8"), ("louvain", "i1"), ("n_counts", "<f4")])
        obs["index"] = [f"c{i}".encode() for i in range(n)]
        obs["louvain"] = np.arange(n) % 2
        obs["n_counts"] = np.arange(n) * 1.5
        f.create_dataset("obs", data=obs)
        var = np.zeros(m, dtype=[("index", "S8"), ("hv", "?")])
        var["index"] = [f"g{j}".encode() for j in range(m)]
        var["hv"] = np.arange(m) % 2 == 0
        f.create_dataset("var", data=var)
        obsm = np.zeros(n, dtype=[("X_umap", "<f8", (2,))])
        obsm["X_umap"] = np.arange(n * 2).reshape(n, 2)
        f.create_dataset("obsm", data=obsm)
        f.create_dataset("uns/louvain_categories", data=np.array([b"0", b"1"]))
        raw = sp.csr_matrix(np.eye(n, 6, dtype=np.float32) * 2)
        g = f.create_group("raw.X")
        g.attrs["h5sparse_format"] = "csr"
        g.attrs["h5sparse_shape"] = np.array([n, 6])
        g.create_dataset("data", data=raw.data)
        g.create_dataset("indices", data=raw.indices)
        g.create_dataset("indptr", data=raw.indptr)
        rv = np.zeros(6, dtype=[("index", "S8")])
        rv["index"] = [f"r{j}".encode() for j in range(6)]
        f.create_dataset("raw.var", data=rv)

    # streaming: chunked dense, csr and csc with block-unfriendly sizes
    x = (np.arange(53 * 37, dtype=np.float32).reshape(53, 37) % 11) * (np.arange(37) % 3 == 0)
    a = ad.AnnData(X=x, obs=pd.DataFrame(index=[f"c{i}" for i in range(53)]),
                   var=pd.DataFrame(index=[f"g{j}" for j in range(37)]), dtype=np.float32)
    a.write_h5ad(path("stream_dense.h5ad"))
    with h5py.File(path("stream_dense.h5ad"), "r+") as f:
        attrs = dict(f["X"].attrs)
        del f["X"]
        d = f.create_dataset("X", data=x, chunks=(7, 5), compression="gzip")
        d.attrs.update(attrs)
    a.X = sp.csr_matrix(x)
    a.write_h5ad(path("stream_csr.h5ad"))
    a.X = sp.csc_matrix(x)
    a.write_h5ad(path("stream_csc.h5ad"))

    # 10x v3 with two feature types (multiome-like), written as Cell Ranger ARC does
    with h5py.File(path("tenx_multiome.h5"), "w") as f:
        n_cells, genes, peaks = 13, 6, 4
        nf = genes + peaks
        dense = (np.arange(nf * n_cells).reshape(nf, n_cells) % 5 == 0) * (np.arange(nf)[:, None] + 1)
        m = sp.csc_matrix(dense.astype(np.int32))
        g = f.create_group("matrix")
        g.create_dataset("barcodes", data=np.array([f"AAAC{i:02d}-1".encode() for i in range(n_cells)]))
        g.create_dataset("data", data=m.data)
        g.create_dataset("indices", data=m.indices.astype(np.int64))
        g.create_dataset("indptr", data=m.indptr.astype(np.int64))
        g.create_dataset("shape", data=np.array([nf, n_cells], dtype=np.int32))
        fg = g.create_group("features")
        fg.create_dataset("id", data=np.array([f"ENSG{j}".encode() for j in range(genes)]
                                              + [f"chr1:{j * 100}-{j * 100 + 50}".encode() for j in range(peaks)]))
        fg.create_dataset("name", data=np.array([f"GENE{j}".encode() for j in range(genes)]
                                                + [f"chr1:{j * 100}-{j * 100 + 50}".encode() for j in range(peaks)]))
        fg.create_dataset("feature_type", data=np.array([b"Gene Expression"] * genes + [b"Peaks"] * peaks))
        fg.create_dataset("genome", data=np.array([b"GRCh38"] * nf))
        fg.create_dataset("interval", data=np.array([f"chr1:{j}-{j + 9}".encode() for j in range(nf)]))

    # ------------------------------------------------------------------ corrupt files
    with open(bad("not_hdf5.h5ad"), "w") as fh:
        fh.write("cell,gene,count\nA,B,1\n")
    with open(path("csr_f64_raw.h5ad"), "rb") as fh:
        data = fh.read()
    with open(bad("truncated.h5ad"), "wb") as fh:
        fh.write(data[: len(data) // 2])
    with h5py.File(bad("no_obs_var.h5ad"), "w") as f:
        f.create_dataset("X", data=np.zeros((3, 2), dtype=np.float32))

    def sparse_variant(name, edit):
        shutil.copy(path("stream_csr.h5ad"), bad(name))
        with h5py.File(bad(name), "r+") as f:
            edit(f["X"])

    def bad_indptr(g):
        p = g["indptr"][...]
        p[5], p[6] = p[6], p[5] - 1
        g["indptr"][...] = p

    def short_indptr(g):
        p = g["indptr"][...][:-3]
        del g["indptr"]
        g.create_dataset("indptr", data=p)

    def oob_indices(g):
        i = g["indices"][...]
        i[3] = 37
        g["indices"][...] = i

    def wrong_shape(g):
        g.attrs["shape"] = np.array([53, 12])

    def huge_shape(g):
        g.attrs["shape"] = np.array([10 ** 12, 10 ** 12])

    def unknown_encoding(g):
        g.attrs["encoding-type"] = "blocked_sparse"

    sparse_variant("bad_indptr.h5ad", bad_indptr)
    sparse_variant("short_indptr.h5ad", short_indptr)
    sparse_variant("oob_indices.h5ad", oob_indices)
    sparse_variant("wrong_shape.h5ad", wrong_shape)
    sparse_variant("huge_shape.h5ad", huge_shape)
    sparse_variant("unknown_encoding.h5ad", unknown_encoding)
    # a dense X whose dataspace claims 10^6 x 10^6 floats but stores almost nothing (chunked, all fill value)
    shutil.copy(path("no_x.h5ad"), bad("huge_dense.h5ad"))
    with h5py.File(bad("huge_dense.h5ad"), "r+") as f:
        f.create_dataset("X", shape=(23, 10 ** 11), dtype=np.float32, chunks=(1, 1024))
    # obs column longer than the index
    shutil.copy(path("dense_f32.h5ad"), bad("column_length.h5ad"))
    with h5py.File(bad("column_length.h5ad"), "r+") as f:
        del f["obs/n_counts"]
        d = f["obs"].create_dataset("n_counts", data=np.zeros(5, dtype=np.float32))
        d.attrs.update({"encoding-type": "array", "encoding-version": "0.2.0"})


if __name__ == "__main__":
    main()

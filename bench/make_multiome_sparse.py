"""A multiome pair shaped like a 10x Multiome run, for memory and time only (no regulatory structure).

    /usr/bin/python3 bench/make_multiome_sparse.py OUTDIR CELLS [GENES PEAKS RNA_PER_CELL ATAC_PER_CELL SEED]

Writes OUTDIR/rna.h5ad (CSR counts, CELLS x GENES, about RNA_PER_CELL detected genes per cell, default 36,601 genes
and 2,500), OUTDIR/atac.h5ad (CSR counts, CELLS x PEAKS named chrN:start-end, about ATAC_PER_CELL open peaks per
cell, default 100,000 and 8,000), OUTDIR/genes.bed (a TSS for every gene) and OUTDIR/tfs.txt (every 20th gene): the
densities of a real run (simulate's files are far denser), so that `scgrn infer OUTDIR/rna.h5ad --atac-file
OUTDIR/atac.h5ad --genes OUTDIR/genes.bed --tfs OUTDIR/tfs.txt` holds what a user's file makes it hold. Genes and
peaks are placed on 22 chromosomes so that about a third of the peaks fall within 100 kb of a TSS; expression and
accessibility are independent draws (a gene's detection rate and a peak's openness vary over a log-normal range).
Needs numpy, scipy, h5py and anndata (Debian's python3-anndata 0.8 is enough). X is written block by block, so
memory stays at a block (2,000 cells) whatever CELLS is.
"""
import os
import sys

import anndata as ad
import h5py
import numpy as np
import pandas as pd
import scipy.sparse as sp


def main():
    out = sys.argv[1]
    cells = int(sys.argv[2])
    genes = int(sys.argv[3]) if len(sys.argv) > 3 else 36601
    peaks = int(sys.argv[4]) if len(sys.argv) > 4 else 100000
    rna_per_cell = int(sys.argv[5]) if len(sys.argv) > 5 else 2500
    atac_per_cell = int(sys.argv[6]) if len(sys.argv) > 6 else 8000
    seed = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    rng = np.random.default_rng(seed)
    os.makedirs(out, exist_ok=True)
    barcodes = [f"cell{i:07d}-1" for i in range(cells)]
    gene_names = [f"G{j:05d}" for j in range(genes)]
    chrom_len = 100_000_000
    g_chrom = rng.integers(1, 23, genes)
    g_tss = rng.integers(1_000_000, chrom_len - 1_000_000, genes)
    g_strand = rng.choice(["+", "-"], genes)
    # a third of the peaks near a TSS, the rest anywhere
    near = rng.random(peaks) < 1 / 3
    anchor = rng.integers(0, genes, peaks)
    p_chrom = np.where(near, g_chrom[anchor], rng.integers(1, 23, peaks))
    p_start = np.where(near, g_tss[anchor] + rng.integers(-100_000, 100_000, peaks),
                       rng.integers(0, chrom_len - 1000, peaks))
    p_start = np.clip(p_start, 0, chrom_len - 1000)
    seen = set()
    peak_names = []
    for c, s in zip(p_chrom, p_start):
        while (c, s) in seen:  # one name per peak
            s += 1
        seen.add((c, s))
        peak_names.append(f"chr{c}:{s}-{s + 500}")
    with open(os.path.join(out, "genes.bed"), "w") as f:
        for j in range(genes):
            s = g_tss[j]
            f.write(f"chr{g_chrom[j]}\t{s}\t{s + 20000}\t{gene_names[j]}\t0\t{g_strand[j]}\n")
    with open(os.path.join(out, "tfs.txt"), "w") as f:
        f.write("\n".join(gene_names[::20]) + "\n")
    for name, cols, per_cell, counts_max, var_names in (
            ("rna", genes, rna_per_cell, 8, gene_names), ("atac", peaks, atac_per_cell, 2, peak_names)):
        path = os.path.join(out, name + ".h5ad")
        # obs and var through anndata, X appended block by block (a 100,000-cell ATAC matrix has ~0.7 G entries:
        # built whole, with its copies, more memory than this machine has)
        ad.AnnData(obs=pd.DataFrame(index=barcodes), var=pd.DataFrame(index=var_names)).write_h5ad(path)
        nnz = 0
        with h5py.File(path, "r+") as f:
            if "X" in f:
                del f["X"]
            g = f.create_group("X")
            g.attrs["encoding-type"] = "csr_matrix"
            g.attrs["encoding-version"] = "0.1.0"
            g.attrs["shape"] = np.array([cells, cols], dtype=np.int64)
            data = g.create_dataset("data", (0,), np.float32, maxshape=(None,), chunks=(1 << 20,))
            indices = g.create_dataset("indices", (0,), np.int32, maxshape=(None,), chunks=(1 << 20,))
            indptr = [np.zeros(1, np.int64)]
            for block in draw(rng, cells, cols, per_cell, counts_max):
                for ds, v in ((data, block.data), (indices, block.indices)):
                    ds.resize((nnz + len(v),))
                    ds[nnz:] = v
                indptr.append(block.indptr[1:].astype(np.int64) + nnz)
                nnz += block.nnz
            g.create_dataset("indptr", data=np.concatenate(indptr))
        print(f"{name}: {cells} x {cols}, {nnz} stored ({nnz / cells:.0f} per cell)", flush=True)


def draw(rng, cells, cols, per_cell, counts_max, chunk=2000):
    """CSR blocks of `chunk` rows, `cells` in all, about `per_cell` distinct columns each, columns weighted
    log-normally."""
    w = rng.lognormal(0.0, 1.0, cols)
    cdf = np.cumsum(w / w.sum())
    for start in range(0, cells, chunk):
        n = min(chunk, cells - start)
        rows = []
        for _ in range(n):
            k = min(rng.poisson(per_cell), cols)
            cols_i = np.unique(np.searchsorted(cdf, rng.random(k), side="right").clip(0, cols - 1))
            rows.append(cols_i.astype(np.int32))
        lens = np.array([len(r) for r in rows], dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(lens)])
        idx = np.concatenate(rows)
        data = rng.integers(1, counts_max + 1, len(idx)).astype(np.float32)
        yield sp.csr_matrix((data, idx, indptr), shape=(n, cols))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The first N cells of an atlas .h5ad restricted to the genes of a scgrn network.tsv, library-size normalised over
ALL of the file's genes (to the median total, as scgrn's preparation does) + log1p, so that
`scgrn infer OUT --prep n-top-genes=500` keeps exactly those genes (200 TFs + 500). Used to separate the effect of
the gene set from that of the cells (docs/benchmarks.md, "Atlas scale: round 4"): e.g. the 1M run's genes on the
100k prefix's cells.

    /usr/bin/python3 bench/atlas_with_genes.py a100k/data.h5ad out-1m/network.tsv 100000 g1m/data.h5ad

Needs Debian's python3-h5py, python3-anndata, python3-scipy; reads the N cells whole (100,000 cells: ~0.5 GB).
"""
import sys

import anndata
import h5py
import numpy as np
import pandas as pd
import scipy.sparse as sp


def main(src, net, ncells, out):
    genes = set()
    with open(net) as f:
        next(f)
        for line in f:
            tf, target = line.split('\t')[:2]
            genes.update((tf, target))
    with h5py.File(src) as f:
        ip = f['X/indptr'][:ncells + 1]
        data = f['X/data'][:ip[-1]]
        ind = f['X/indices'][:ip[-1]]
        var = [v.decode() for v in f['var/_index'][:]]
    x = sp.csr_matrix((data, ind, ip), shape=(ncells, len(var)))
    tot = np.asarray(x.sum(1)).ravel()
    target = np.median(tot[tot > 0])
    cols = [j for j, v in enumerate(var) if v in genes]
    y = sp.diags(target / np.maximum(tot, 1)) @ x[:, cols].tocsr().astype(np.float64)
    y.data = np.log1p(y.data)
    a = anndata.AnnData(X=sp.csr_matrix(y.astype(np.float32)),
                        obs=pd.DataFrame(index=['c%d' % i for i in range(ncells)]),
                        var=pd.DataFrame(index=[var[j] for j in cols]))
    a.write_h5ad(out)
    print('wrote', out, a.shape, 'normalised to', target)


if __name__ == '__main__':
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])

"""Screen: TF activity read from chromatin-coupled peaks (no motifs) as the regulator's level.

For each TF t: peaks whose accessibility co-varies with t's expression within cell states (label-free k-means
states on RNA PCs) are its coupled peaks; activity_t(c) = z(rna_t) + lam * mean_p w_tp z(acc_p) over its top-K
coupled peaks. Scored: |r| within states of TF level (rna or activity) with each gene, EPR vs truth.
"""
import sys, h5py, numpy as np, scipy.sparse as sp


def pca(m, k):
    u, sv, vt = np.linalg.svd(m - m.mean(0), full_matrices=False)
    return u[:, :k] * sv[:k]


def kmeans(p, k, seed=0, iters=50):
    rng = np.random.default_rng(seed)
    c = p[rng.choice(len(p), k, replace=False)]
    for _ in range(iters):
        lab = ((p[:, None, :] - c[None]) ** 2).sum(-1).argmin(1)
        for j in range(k):
            if (lab == j).any():
                c[j] = p[lab == j].mean(0)
    return lab


def csr(g):
    shape = g.attrs.get("shape")
    return sp.csr_matrix((g["data"][:], g["indices"][:], g["indptr"][:]), shape=tuple(shape))


def strs(ds):
    return [x.decode() if isinstance(x, bytes) else x for x in ds[:]]


def load(d):
    f = h5py.File(f"{d}/data.h5mu")
    rna = csr(f["mod/rna/X"]).astype(np.float64)
    atac = csr(f["mod/atac/X"])
    genes = strs(f["mod/rna/var/_index"])
    lib = np.asarray(rna.sum(1)).ravel()
    x = np.log1p(np.asarray(rna.multiply(1e4 / lib[:, None]).todense()))
    a = (np.asarray(atac.todense()) > 0).astype(np.float64)
    tfs = [l.strip() for l in open(f"{d}/tfs.txt") if l.strip()]
    truth = set()
    for line in open(f"{d}/truth.csv").read().splitlines()[1:]:
        p = line.split(",")
        truth.add((p[0], p[1]))
    return x, a, genes, tfs, truth


def epr(score, genes, tfs, truth):
    gi = {g: i for i, g in enumerate(genes)}
    rows = []
    for t in tfs:
        for g in genes:
            if g != t:
                rows.append((score[tfs.index(t), gi[g]], t, g))
    k = len(truth)
    dens = k / len(rows)
    rows.sort(key=lambda r: (-r[0], r[1], r[2]))
    hit = sum((r[1], r[2]) in truth for r in rows[:k])
    return hit / k / dens


def centre(m, st):
    m = m.copy()
    for s in np.unique(st):
        idx = st == s
        m[idx] -= m[idx].mean(0)
    return m


def zs(m):
    sd = m.std(0)
    sd[sd == 0] = 1
    return (m - m.mean(0)) / sd


def corr(a, b):
    a = zs(a)
    b = zs(b)
    return a.T @ b / a.shape[0]


def main(d, k_states=int(__import__("os").environ.get("KS","8")), variants=()):
    x, a, genes, tfs, truth = load(d)
    n = x.shape[0]
    pcs = pca(zs(x), 20)
    st = kmeans(pcs, k_states)
    ti = [genes.index(t) for t in tfs]
    xc = centre(x, st)
    ac = centre(a, st)
    out = {}
    out["r_all"] = epr(np.abs(corr(x[:, ti], x)), genes, tfs, truth)
    base = np.abs(corr(xc[:, ti], xc))
    out["r_within"] = epr(base, genes, tfs, truth)
    cp = corr(xc[:, ti], ac)  # tfs x peaks coupling within states
    for K in (20, 50, 100):
        for lam in (0.5, 1.0, 2.0):
            act = np.zeros((n, len(tfs)))
            for j in range(len(tfs)):
                top = np.argsort(-cp[j])[:K]
                w = np.clip(cp[j, top], 0, None)
                sig = zs(ac[:, top]) @ w / max(w.sum(), 1e-9)
                act[:, j] = zs(xc[:, ti[j]][:, None])[:, 0] + lam * zs(sig[:, None])[:, 0]
            s = np.abs(corr(act, xc))
            out[f"act K{K} l{lam}"] = epr(s, genes, tfs, truth)
            out[f"act+r K{K} l{lam}"] = epr(s + base, genes, tfs, truth)
    return out


if __name__ == "__main__" and not __import__("os").environ.get("M2"):
    res = {}
    for d in sys.argv[1:]:
        r = main(d)
        res[d] = r
        print(d, " ".join(f"{k}={v:.2f}" for k, v in r.items()), flush=True)
    keys = list(next(iter(res.values())).keys())
    for k in keys:
        vals = [res[d][k] / res[d]["r_within"] for d in res]
        print(f"{k:20s} median ratio to r_within {np.median(vals):.3f}  min {min(vals):.3f}")


def peaks_near(d, genes, window=100_000):
    f = h5py.File(f"{d}/data.h5mu")
    pv = strs(f["mod/atac/var/_index"])
    chrom = strs(f["mod/rna/var/chrom"]); start = f["mod/rna/var/start"][:]; end = f["mod/rna/var/end"][:]
    strand = strs(f["mod/rna/var/strand"])
    pk = []
    for p in pv:
        c, r = p.split(":"); a, b = r.split("-"); pk.append((c, (int(a) + int(b)) // 2))
    near = []
    for j, g in enumerate(genes):
        tss = start[j] if strand[j] == "+" else end[j]
        near.append([i for i, (c, m) in enumerate(pk) if c == chrom[j] and abs(m - tss) <= window])
    return near


def rankavg(*ms):
    from scipy.stats import rankdata
    return sum(rankdata(m.ravel()).reshape(m.shape) for m in ms)


def main2(d):
    x, a, genes, tfs, truth = load(d)
    near = peaks_near(d, genes)
    pcs = pca(zs(x), 20)
    ti = [genes.index(t) for t in tfs]
    out = {}
    rall = np.abs(corr(x[:, ti], x))
    out["r_all"] = epr(rall, genes, tfs, truth)
    for ks in (1, 4, 8):
        st = kmeans(pcs, ks) if ks > 1 else np.zeros(len(x), int)
        xc = centre(x, st); ac = centre(a, st)
        cp = corr(xc[:, ti], ac)  # tf x peak
        # z against the TF's own spread over all peaks
        cz = (cp - cp.mean(1, keepdims=True)) / cp.std(1, keepdims=True)
        sc = np.zeros((len(tfs), len(genes)))
        for j in range(len(genes)):
            if near[j]:
                sc[:, j] = cz[:, near[j]].max(1)
        out[f"coup k{ks}"] = epr(sc, genes, tfs, truth)
        out[f"r+coup k{ks}"] = epr(rankavg(rall, sc), genes, tfs, truth)
        out[f"r+.5coup k{ks}"] = epr(rankavg(rall, rall, sc), genes, tfs, truth)
    return out


if __name__ == "__main__" and __import__("os").environ.get("M2"):
    res = {}
    for d in sys.argv[1:]:
        r = main2(d); res[d] = r
        print(d, " ".join(f"{k}={v:.2f}" for k, v in r.items()), flush=True)
    for k in next(iter(res.values())):
        vals = [res[d][k] / res[d]["r_all"] for d in res]
        print(f"{k:16s} median ratio to r_all {np.median(vals):.3f} min {min(vals):.3f}")

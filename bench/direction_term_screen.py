"""Screen: the lag asymmetry d(t -> j) = R2(t | bins j) - R2(j | bins t) as evidence for every TF -> gene pair."""
import sys, os, numpy as np, csv
sys.path.insert(0, "/tmp/s23/dir")
from dirstat import load
from dircheck import epr_of
from scipy.stats import rankdata
os.environ["AP"] = "1"
NB = 16
def bins_all(X):
    n, G = X.shape
    B = np.zeros((n, G), dtype=np.int64)
    for j in range(G):
        x = X[:, j]; xs = np.sort(x)
        B[:, j] = np.minimum(np.searchsorted(xs, x, side="left") * NB // n, NB - 1)
    return B
def dmatrix(X, tfi):
    n, G = X.shape
    B = bins_all(X)
    OH = np.zeros((n, G, NB), dtype=np.float64)
    OH[np.arange(n)[:, None], np.arange(G)[None, :], B] = 1
    cnt = OH.sum(0)  # G x NB
    ss = ((X - X.mean(0)) ** 2).sum(0); tot = X.sum(0)
    D = np.zeros((len(tfi), G))
    for a, t in enumerate(tfi):
        y = X[:, t]
        S = np.einsum("c,cjk->jk", y, OH)  # t's sums within bins of each gene j
        r2_t = (np.where(cnt > 0, S ** 2 / np.maximum(cnt, 1), 0).sum(1) - tot[t] ** 2 / n) / ss[t] if ss[t] > 0 else np.zeros(G)
        oh_t = OH[:, t, :]  # n x NB
        S2 = oh_t.T @ X     # NB x G: each gene's sums within t's bins
        c2 = oh_t.sum(0)[:, None]
        r2_j = (np.where(c2 > 0, S2 ** 2 / np.maximum(c2, 1), 0).sum(0) - tot ** 2 / n) / np.where(ss > 0, ss, 1)
        D[a] = r2_t - r2_j
    return D
for s in sys.argv[1:]:
    X, genes, tfs, truth = load(s)
    gi = {g: k for k, g in enumerate(genes)}
    tfi = [gi[t] for t in tfs]
    D = dmatrix(X, tfi)
    net = {}
    for r in csv.DictReader(open(f"/tmp/s23/dir/outlag2/{s}/network.tsv"), delimiter="\t"):
        net[(r["tf"], r["target"])] = abs(float(r["score"]))
    base = epr_of(net, truth)
    out = [f"{s:30s} base {base[0]:.3f}/{base[1]:.3f}"]
    keys = list(net); sc = np.array([net[k] for k in keys])
    dv = np.array([D[tfs.index(k[0]), gi[k[1]]] for k in keys])
    rs = rankdata(sc) / len(sc); rd = rankdata(dv) / len(dv)
    for w in (0.1, 0.25):
        o = dict(zip(keys, (1 - w) * rs + w * rd))
        e = epr_of(o, truth); out.append(f"w{w} {e[0]:.3f}/{e[1]:.3f}")
    # AUROC of d among true vs false pairs
    lab = np.array([k in truth for k in keys])
    if lab.any():
        rr = rankdata(dv); auc = (rr[lab].sum() - lab.sum() * (lab.sum() + 1) / 2) / (lab.sum() * (~lab).sum())
        out.append(f"AUROC(d) {auc:.3f}")
    print(" ".join(out), flush=True)

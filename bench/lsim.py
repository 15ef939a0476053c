#!/usr/bin/env python3
"""Round 17 (helper st17): a combiner of crowd's terms learned ONLY from simulations with known truth.

docs/benchmarks.md "GRN accuracy: round 17, a term combiner learned from simulations (helper st17)".
Terms are TermBench dumps (<termDir>/<set>/{meta.tsv,<term>.f32}); features per (TF, target != TF) pair: for each
term its percentile over all pairs, within the TF's row and within the target's column (label-free, scale-free).

Usage:
  lsim.py from-h5mu SIMDIR OUT          scgrn simulate's RNA (SIMDIR/data.h5mu) -> OUT/data.h5ad (log1p CP10k of the
                                        genes detected in >= 1 % of cells), truth.csv, tfs.txt over those genes
  lsim.py downsample SRC OUT FRAC SEED  counts ~ Poisson(expression scaled to FRAC x 2 counts per gene and cell on
                                        average, per-cell depth log-normal) -> log1p CP10k; same truth and TFs
  lsim.py train TERMS SIMS MODEL.json [sets-regex]   fit both model forms on the simulation sets (labels: SIMS/<set>/truth.csv)
  lsim.py transfer TERMS SIMS           train on SERGIO-like (s*), test on multiome (m*) and vice versa, per set
  lsim.py loso TERMS SIMS               leave one simulation set out (trained on all the others)
  lsim.py score MODEL.json TERMS SET... write <TERMS>/<set>/lsimA$LSIM_TAG.f32 and lsimB$LSIM_TAG.f32 (log-odds), no labels
  lsim.py verdict SCORES.tsv CAND...    the registered rule on TermBench combine's rows (pearson, default, CAND...)
"""
import json
import os
import re
import sys

import numpy as np
import pandas as pd
from scipy import optimize, stats

TERMS = ["pv", "pr", "mi", "learned", "corr", "crowd"]
LAMBDA = 1e-3  # L2 penalty on the coefficients (features in [0, 1]; sample weights sum to 1); fixed in advance
NEG_PER_SET = 20000  # negatives kept per training set (all positives kept); weights re-balance the classes


def write_anndata(out, X, cells, genes):
    import anndata as ad
    os.makedirs(out, exist_ok=True)
    a = ad.AnnData(X=np.asarray(X, dtype=np.float32), obs=pd.DataFrame(index=[str(c) for c in cells]),
                   var=pd.DataFrame(index=[str(g) for g in genes]))
    a.write_h5ad(os.path.join(out, "data.h5ad"))


def lognorm(C):
    lib = C.sum(1, keepdims=True)
    lib[lib == 0] = 1
    return np.log1p(C / lib * 1e4)


def write_truth(out, truth, genes, tfs):
    gs = set(genes)
    t = truth[truth.Gene1.isin(gs) & truth.Gene2.isin(gs) & (truth.Gene1 != truth.Gene2)]
    t[["Gene1", "Gene2"]].drop_duplicates().to_csv(os.path.join(out, "truth.csv"), index=False)
    with open(os.path.join(out, "tfs.txt"), "w") as f:
        f.write("\n".join(x for x in tfs if x in gs) + "\n")
    return len(t)


def from_h5mu(simdir, out):
    import h5py
    import scipy.sparse as sp
    with h5py.File(os.path.join(simdir, "data.h5mu"), "r") as f:
        g = f["mod/rna"]
        X = g["X"]
        shape = X.attrs.get("shape")
        C = sp.csr_matrix((X["data"][:], X["indices"][:], X["indptr"][:]), shape=tuple(shape)).toarray()
        genes = [x.decode() if isinstance(x, bytes) else x for x in g["var/_index"][:]]
        cells = [x.decode() if isinstance(x, bytes) else x for x in g["obs/_index"][:]]
    keep = (C > 0).mean(0) >= 0.01
    L = lognorm(C.astype(np.float64))[:, keep]
    genes = [g for g, k in zip(genes, keep) if k]
    write_anndata(out, L, cells, genes)
    tfs = [x.strip() for x in open(os.path.join(simdir, "tfs.txt")) if x.strip()]
    n = write_truth(out, pd.read_csv(os.path.join(simdir, "truth.csv")), genes, tfs)
    print(out, L.shape, "edges", n)


def downsample(src, out, frac, seed):
    import anndata as ad
    a = ad.read_h5ad(os.path.join(src, "data.h5ad"))
    X = np.asarray(a.X, dtype=np.float64)
    rng = np.random.default_rng(seed)
    depth = rng.lognormal(0.0, 0.5, size=(X.shape[0], 1))
    lam = X / X.mean() * 2.0 * frac * depth
    C = rng.poisson(lam)
    keep = (C > 0).mean(0) >= 0.01
    write_anndata(out, lognorm(C.astype(np.float64))[:, keep], a.obs_names, a.var_names[keep])
    tfs = [x.strip() for x in open(os.path.join(src, "tfs.txt")) if x.strip()]
    n = write_truth(out, pd.read_csv(os.path.join(src, "truth.csv")), list(a.var_names[keep]), tfs)
    print(out, C.shape, "kept", int(keep.sum()), "zeros %.2f" % (C[:, keep] == 0).mean(), "edges", n)


def read_f32(p):
    with open(p, "rb") as f:
        n = int.from_bytes(f.read(4), "big", signed=True)
        return np.frombuffer(f.read(4 * n), dtype=">f4").astype(np.float64)


def write_f32(p, v):
    v = np.asarray(v, dtype=">f4")
    with open(p, "wb") as f:
        f.write(len(v).to_bytes(4, "big", signed=True))
        f.write(v.tobytes())


def load_set(termdir, s):
    meta = open(os.path.join(termdir, s, "meta.tsv")).read().split("\n")
    genes = meta[0].split("\t")
    tf_idx = np.array([int(x) for x in meta[1].split("\t")])
    T, G = len(tf_idx), len(genes)
    mats = {t: read_f32(os.path.join(termdir, s, t + ".f32")).reshape(T, G) for t in TERMS}
    self_ = np.zeros((T, G), bool)
    self_[np.arange(T), tf_idx] = True
    return genes, tf_idx, mats, self_


def pct(M, self_, axis):
    """Percentile (mean rank of ties, in (0, 1]) of each non-self entry over all pairs (axis None), its row (1) or
    its column (0); self-loops excluded from every ranking."""
    A = np.where(self_, np.nan, M)
    if axis is None:
        r = stats.rankdata(A[~self_])
        out = np.full(M.shape, np.nan)
        out[~self_] = r / len(r)
        return out
    r = stats.rankdata(A, axis=axis, nan_policy="omit")
    n = (~self_).sum(axis=axis, keepdims=True).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return r / np.maximum(n, 1)


def features(mats, self_):
    """Model form A: 3 percentiles per term; form B: A + pairwise products of the global percentiles."""
    cols, names = [], []
    glob = []
    for t in TERMS:
        for ax, nm in ((None, "all"), (1, "row"), (0, "col")):
            p = pct(mats[t], self_, ax)
            cols.append(p[~self_])
            names.append(t + "." + nm)
            if ax is None:
                glob.append((t, cols[-1]))
    A = np.column_stack(cols)
    prods, pn = [], []
    for i in range(len(glob)):
        for j in range(i + 1, len(glob)):
            prods.append(glob[i][1] * glob[j][1])
            pn.append(glob[i][0] + "*" + glob[j][0])
    B = np.column_stack([A] + prods)
    return A, B, names, names + pn


def labels(simdir, s, genes, tf_idx, self_):
    t = pd.read_csv(os.path.join(simdir, s, "truth.csv"))
    gi = {g: i for i, g in enumerate(genes)}
    ti = {int(g): k for k, g in enumerate(tf_idx)}
    Y = np.zeros(self_.shape, bool)
    for a, b in zip(t.Gene1, t.Gene2):
        if a in gi and b in gi and gi[a] in ti and a != b:
            Y[ti[gi[a]], gi[b]] = True
    return Y[~self_]


def fit(Xs, ys):
    """L2 logistic regression, each set weighted equally and its classes balanced (weights sum to 1)."""
    X = np.vstack([np.column_stack([np.ones(len(x)), x]) for x in Xs])
    y = np.concatenate(ys).astype(float)
    w = []
    for yy in ys:
        npos, nneg = yy.sum(), (~yy).sum()
        w.append(np.where(yy, 0.5 / npos, 0.5 / nneg) / len(ys))
    w = np.concatenate(w)

    def f(b):
        z = X @ b
        ll = np.logaddexp(0, z) - y * z
        pen = 0.5 * LAMBDA * (b[1:] @ b[1:])
        p = 1 / (1 + np.exp(-z))
        g = X.T @ (w * (p - y))
        g[1:] += LAMBDA * b[1:]
        return w @ ll + pen, g

    r = optimize.minimize(f, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    return r.x


def metrics(score, y):
    """AUPRC ratio (average precision / density) and EPR (precision in the top |truth| / density)."""
    o = np.argsort(-score, kind="stable")
    yy = y[o]
    k = int(y.sum())
    dens = k / len(y)
    tp = np.cumsum(yy)
    ap = (tp[yy] / (np.flatnonzero(yy) + 1)).sum() / k
    return (tp[k - 1] / k) / dens, ap / dens


def sets_in(d, regex=".*"):
    return sorted(s for s in os.listdir(d) if re.fullmatch(regex, s) and os.path.exists(os.path.join(d, s, "meta.tsv")))


def training_data(termdir, simdir, regex):
    out = {}
    rng = np.random.default_rng(0)
    for s in sets_in(termdir, regex):
        genes, tf_idx, mats, self_ = load_set(termdir, s)
        y = labels(simdir, s, genes, tf_idx, self_)
        if y.sum() < 5:
            continue
        A, B, na, nb = features(mats, self_)
        corr = mats["corr"][~self_]
        crowd = mats["crowd"][~self_]
        out[s] = dict(A=A, B=B, y=y, names=(na, nb), corr=corr, crowd=crowd)
    return out


def sub(d):
    rng = np.random.default_rng(0)
    neg = np.flatnonzero(~d["y"])
    keep = np.concatenate([np.flatnonzero(d["y"]), rng.choice(neg, min(len(neg), NEG_PER_SET), replace=False)])
    return keep


def crit(m, p):
    return (np.log(m[0] / p[0]) + np.log(m[1] / p[1])) / 2


def transfer(termdir, simdir):
    data = training_data(termdir, simdir, ".*")
    fam = lambda s: "sergio" if s.lstrip("n-").startswith("s") else "multiome"
    print("set\tfamily\tpearson EPR/AUPRCr\tdefault\tlsimA\tlsimB\tcrit default\tcrit A\tcrit B")
    res = []
    for test in ("sergio", "multiome"):
        tr = [s for s in data if fam(s) != test]
        models = {}
        for form in "AB":
            Xs = [data[s][form][sub(data[s])] for s in tr]
            ys = [data[s]["y"][sub(data[s])] for s in tr]
            models[form] = fit(Xs, ys)
        for s in data:
            if fam(s) != test:
                continue
            d = data[s]
            p = metrics(d["corr"], d["y"])
            c = metrics(d["crowd"], d["y"])
            a = metrics(np.column_stack([np.ones(len(d["A"])), d["A"]]) @ models["A"], d["y"])
            b = metrics(np.column_stack([np.ones(len(d["B"])), d["B"]]) @ models["B"], d["y"])
            res.append((s, test, crit(c, p), crit(a, p), crit(b, p)))
            print("%s\t%s\t%.2f/%.2f\t%.2f/%.2f\t%.2f/%.2f\t%.2f/%.2f\t%.3f\t%.3f\t%.3f" % (
                s, test, *p, *c, *a, *b, crit(c, p), crit(a, p), crit(b, p)))
    r = pd.DataFrame(res, columns=["set", "family", "default", "A", "B"])
    print(r.groupby("family")[["default", "A", "B"]].median().to_string())
    print("sets where A > default: %d / %d; B > default: %d / %d" % (
        (r.A > r.default).sum(), len(r), (r.B > r.default).sum(), len(r)))


def loso(termdir, simdir):
    """Leave one simulated network out: train on the sets of the other networks (all families; a noised copy n-<set>
    shares <set>'s network), test on it (form A and the 1:1 rank mean with the default)."""
    data = training_data(termdir, simdir, ".*")
    res = []
    for s in data:
        tr = [t for t in data if t.replace("n-", "") != s.replace("n-", "")]
        b = fit([data[t]["A"][sub(data[t])] for t in tr], [data[t]["y"][sub(data[t])] for t in tr])
        d = data[s]
        z = np.column_stack([np.ones(len(d["A"])), d["A"]]) @ b
        mix = stats.rankdata(z) + stats.rankdata(d["crowd"])
        p = metrics(d["corr"], d["y"])
        res.append((s, crit(metrics(d["crowd"], d["y"]), p), crit(metrics(z, d["y"]), p), crit(metrics(mix, d["y"]), p)))
    r = pd.DataFrame(res, columns=["set", "default", "A", "A+default"])
    r["family"] = [("noised" if x.startswith("n-") else "sergio" if x.startswith("s") else "multiome") for x in r.set]
    print(r.to_string(float_format=lambda v: "%.3f" % v))
    print(r.groupby("family")[["default", "A", "A+default"]].median().to_string(float_format=lambda v: "%.3f" % v))


def train(termdir, simdir, model, regex):
    data = training_data(termdir, simdir, regex)
    out = dict(terms=TERMS, lam=LAMBDA, sets=sorted(data))
    for form in "AB":
        Xs = [data[s][form][sub(data[s])] for s in data]
        ys = [data[s]["y"][sub(data[s])] for s in data]
        b = fit(Xs, ys)
        names = data[next(iter(data))]["names"][0 if form == "A" else 1]
        out[form] = dict(intercept=b[0], coef=dict(zip(names, b[1:].tolist())))
        print(form, "intercept %.3f" % b[0], " ".join("%s=%.2f" % (n, c) for n, c in zip(names, b[1:])))
    json.dump(out, open(model, "w"), indent=1)


def score(model, termdir, sets):
    m = json.load(open(model))
    for s in sets:
        genes, tf_idx, mats, self_ = load_set(termdir, s)
        A, B, na, nb = features(mats, self_)
        for form, X, names in (("A", A, na), ("B", B, nb)):
            c = m[form]
            z = c["intercept"] + X @ np.array([c["coef"][n] for n in names])
            full = np.zeros(self_.shape)
            full[~self_] = z
            full[self_] = z.min() - 1  # self-loops: TermBench's rank scaling sets them to 0 anyway
            write_f32(os.path.join(termdir, s, "lsim%s%s.f32" % (form, os.environ.get("LSIM_TAG", ""))), full.ravel())
        print(s, "written")


GROUPS = ["beeline-hHEP", "beeline-mDC", "beeline-mHSC-GM", "curated", "sergio", "synthetic"]


def verdict(tsv, cands):
    """Per set criterion (ln EPR/EPR_pearson + ln AUPRCr/AUPRCr_pearson)/2; pass = group median >= the default's in
    >= 5 of 6 groups AND mean of group medians above the default's AND no more sets below pearson than the default."""
    r = pd.read_csv(tsv, sep="\t", header=None, names=["set", "cand", "epr", "auprc", "auroc", "secs"], comment="#")
    r = r[r.set != "set"].astype(dict(epr=float, auprc=float))
    r = r.drop_duplicates(["set", "cand"], keep="last").set_index(["set", "cand"])
    sets = sorted(set(r.index.get_level_values(0)))
    rows = []
    for s in sets:
        p = r.loc[(s, "pearson")]
        row = dict(set=s, group=next(g for g in GROUPS if s.startswith(g + "-")))
        for c in ["pearson", "default"] + cands:
            q = r.loc[(s, c)]
            row[c + " EPR"] = q.epr
            row[c + " AUPRCr"] = q.auprc
            row[c] = (np.log(q.epr / p.epr) + np.log(q.auprc / p.auprc)) / 2
        rows.append(row)
    t = pd.DataFrame(rows)
    cols = ["set"] + [c + k for c in ["pearson", "default"] + cands for k in (" EPR", " AUPRCr")]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for _, x in t.iterrows():
        print("| " + " | ".join([x["set"]] + ["%.2f" % x[c] for c in cols[1:]]) + " |")
    print()
    g = t.groupby("group")[["default"] + cands].median()
    print("| criterion (group median) | " + " | ".join(["default"] + cands) + " |")
    print("|---|" + "---|" * (1 + len(cands)))
    for grp, x in g.iterrows():
        print("| %s | " % grp + " | ".join("%+.3f" % x[c] for c in ["default"] + cands) + " |")
    print("| mean of group medians | " + " | ".join("%+.3f" % g[c].mean() for c in ["default"] + cands) + " |")
    print("| sets below pearson | " + " | ".join(str(int((t[c] < 0).sum())) for c in ["default"] + cands) + " |")
    print()
    for c in cands:
        ge = int((g[c] >= g["default"] - 1e-12).sum())
        mean_ok = g[c].mean() > g["default"].mean()
        below_ok = (t[c] < 0).sum() <= (t["default"] < 0).sum()
        ok = ge >= 5 and mean_ok and below_ok
        print("%s: groups >= default %d/6, mean %+.3f vs %+.3f, below pearson %d vs %d -> %s" % (
            c, ge, g[c].mean(), g["default"].mean(), (t[c] < 0).sum(), (t["default"] < 0).sum(),
            "PASS" if ok else "FAIL"))


def main():
    a = sys.argv[1:]
    if not a:
        print(__doc__)
        sys.exit(2)
    if a[0] == "from-h5mu":
        from_h5mu(a[1], a[2])
    elif a[0] == "downsample":
        downsample(a[1], a[2], float(a[3]), int(a[4]))
    elif a[0] == "train":
        train(a[1], a[2], a[3], a[4] if len(a) > 4 else ".*")
    elif a[0] == "loso":
        loso(a[1], a[2])
    elif a[0] == "transfer":
        transfer(a[1], a[2])
    elif a[0] == "verdict":
        verdict(a[1], a[2:])
    elif a[0] == "score":
        score(a[1], a[2], a[3:])
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Round 16 (helper e16): numpy screen of errors-in-variables-aware partial-correlation terms against |Pearson r| and
against crowd's partial-correlation term (|shrunk pcor over all genes|, shrink 0.95, values and ranks, rank-averaged).
Scorer = bench/sergio_ss_screen.py's (reproduces the official one: candidates = truth sources x truth genes, ties
alphabetical). Per set prints each term's criterion vs |r| = (ln EPR ratio + ln AUPRC-ratio ratio) / 2.
Usage: eiv_screen.py OUT.json SETDIR...   (OUT ending -excl.json: second pass, k = 50..150 / 10..30 % of genes)     (docs/benchmarks.md "round 16")"""
import sys, json, math, os, numpy as np, pandas as pd, anndata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sergio_ss import ranked_scores  # noqa: E402  (the scorer shared with bench/sergio_ss.py)


def load(d):
    a = anndata.read_h5ad(d + '/data.h5ad')
    X = a.X.toarray() if hasattr(a.X, 'toarray') else np.asarray(a.X)
    X = X.astype(float)
    names = list(a.var_names)
    t = pd.read_csv(d + '/truth.csv')
    pos = {n: i for i, n in enumerate(names)}
    t = t[t.Gene1.isin(pos) & t.Gene2.isin(pos)]
    truth = set(zip(t.Gene1, t.Gene2))
    regs = [pos[r] for r in sorted(set(t.Gene1))]
    genes = [pos[g] for g in sorted(set(t.Gene1) | set(t.Gene2))]
    keep = X.std(0) > 0
    return X, names, truth, regs, genes, keep


def score(S, regs, genes, names, truth):
    cand = []
    for a, r in enumerate(regs):
        for b, g in enumerate(genes):
            if r != g:
                cand.append((-abs(S[a, b]), names[r], names[g]))
    cand.sort()
    return ranked_scores(np.array([(r, g) in truth for _, r, g in cand]))


def zs(X):
    s = X.std(0)
    s[s == 0] = 1
    return (X - X.mean(0)) / s


def ranks(X):
    from scipy.stats import rankdata
    return rankdata(X, axis=0)


def corr(X):
    Z = zs(X)
    return Z.T @ Z / len(Z)


def shrunk(C, s):
    return (1 - s) * C + s * np.eye(len(C))


def pcor_all(C, s):
    P = np.linalg.inv(shrunk(C, s))
    d = np.sqrt(np.diag(P))
    return -P / np.outer(d, d)


def pcor_excl(C, s, rows, k, both=False):
    """Rows `rows`: pcor(t, j | all genes except N_k(t)), N_k(t) = t's k most |r|-correlated genes (j kept in the
    conditioning block when j in N_k(t)): Schur complement of the full precision matrix."""
    g = len(C)
    S = shrunk(C, s)
    P = np.linalg.inv(S)
    A = np.abs(C).copy()
    np.fill_diagonal(A, -1)
    out = np.zeros((len(rows), g))
    for a, t in enumerate(rows):
        B = np.argsort(-A[t])[:k]
        Pbb = P[np.ix_(B, B)]
        M = np.linalg.inv(Pbb)
        PB = P[B]                      # k x g
        W = M @ PB                     # k x g
        PAt = P[t] - PB[:, t] @ W      # row t of the marginal precision (over V\B)
        diag = np.diag(P) - np.einsum('ij,ij->j', PB, W)
        row = -PAt / np.sqrt(PAt[t] * diag)
        # j in B: marginal over V\B u {j}: B_j = B\{j}
        for q, j in enumerate(B):
            keepq = np.arange(len(B)) != q
            Mj = M[np.ix_(keepq, keepq)] - np.outer(M[keepq, q], M[q, keepq]) / M[q, q]
            Bj = B[keepq]
            Ptj = P[t, j] - P[t, Bj] @ Mj @ P[Bj, j]
            Ptt = P[t, t] - P[t, Bj] @ Mj @ P[Bj, t]
            Pjj = P[j, j] - P[j, Bj] @ Mj @ P[Bj, j]
            row[j] = -Ptj / math.sqrt(Ptt * Pjj)
        row[t] = 0
        out[a] = row
    return out


def pcor_excl_fast(C, s, rows, k):
    """pcor_excl by rank-one downdates (the same numbers; what ExcludedPartialCorrelation.java does)."""
    g=len(C); P=np.linalg.inv(shrunk(C,s)); A=np.abs(C).copy(); np.fill_diagonal(A,-1)
    out=np.zeros((len(rows),g))
    for a,t in enumerate(rows):
        B=np.argsort(-A[t])[:k]; M=np.linalg.inv(P[np.ix_(B,B)]); PB=P[B]; W=M@PB
        u=PB[:,t]; Mu=W[:,t]
        Ptt=P[t,t]-u@Mu; diag=np.diag(P)-np.einsum('ij,ij->j',PB,W); Ptj=P[t]-u@W
        row=-Ptj/np.sqrt(Ptt*np.where(diag>0,diag,1))
        Mqq=np.diag(M)
        def quad(x,Mx,y,My,xMy):
            # vector over q (q indexes B, y/My for j=B[q])
            return xMy - x*My - Mx*y + x*Mqq*y - (Mx-x*Mqq)*(My-Mqq*y)/Mqq
        v=PB[np.arange(k),B]      # v_q = P[B_q, B_q]  (y_q entry for j=B_q)
        # for j=B[q]: y = P[B, j], My = W[:, j]; need y_q = P[B_q, j] = P[B_q,B_q], My_q = W[q, B_q]
        My_q=W[np.arange(k),B]; yMy=np.einsum('ij,ij->j',PB[:,B],W[:,B])
        xMy=u@W[:,B]
        ptj=P[t,B]-quad(u[:],Mu,v,My_q,xMy)
        ptt=P[t,t]-quad(u,Mu,u,Mu,np.full(k,u@Mu))
        pjj=P[B,B]-quad(v,My_q,v,My_q,yMy)
        row[B]=-ptj/np.sqrt(ptt*pjj); row[t]=0; out[a]=row
    return out


def knn_smooth(X, k, npc=20, seed=0):
    Z = zs(np.log1p(np.maximum(X, 0)) if X.min() >= 0 else X)
    U, sv, Vt = np.linalg.svd(Z - Z.mean(0), full_matrices=False)
    npc = min(npc, Z.shape[1] - 1)
    Y = U[:, :npc] * sv[:npc]
    n = len(Y)
    sq = (Y ** 2).sum(1)
    out = np.empty_like(X)
    for i0 in range(0, n, 512):
        D = sq[i0:i0 + 512, None] + sq[None] - 2 * Y[i0:i0 + 512] @ Y.T
        nb = np.argpartition(D, k, axis=1)[:, :k + 1]
        out[i0:i0 + 512] = X[nb].mean(1)
    return out


def rank_scale(S):
    from scipy.stats import rankdata
    v = np.abs(S).ravel()
    return (rankdata(v) / len(v)).reshape(S.shape)


def terms(X, regs, keep, which):
    """Each term as [len(regs), g] scores over all genes (rank-scaled where a rank average is involved)."""
    g = X.shape[1]
    Xk = X.copy()
    # constant genes: add nothing (they get r = 0); keep invertibility by the shrinkage
    Cv = corr(Xk)
    Cr = corr(ranks(Xk))
    Cv[~np.isfinite(Cv)] = 0
    Cr[~np.isfinite(Cr)] = 0
    T = {}
    T['r'] = np.abs(Cv[regs])
    pv = pcor_all(Cv, 0.95)[regs]
    pr = pcor_all(Cr, 0.95)[regs]
    T['crowd_pcor'] = (rank_scale(pv) + rank_scale(pr)) / 2
    for k in which.get('excl', []):
        kk = k if k >= 1 else max(2, int(round(k * g)))
        kk = min(kk, g - 3)
        for s in which.get('excl_shrink', [0.95]):
            f = pcor_excl_fast if which.get('fast') else pcor_excl
            ev = f(Cv, s, regs, kk)
            er = f(Cr, s, regs, kk)
            T['excl%s_s%.2f' % (k, s)] = (rank_scale(ev) + rank_scale(er)) / 2
            T['excl%s_s%.2f_v' % (k, s)] = np.abs(ev)
    for k in which.get('smooth', []):
        Xs = knn_smooth(Xk, k)
        Cs = corr(Xs)
        T['smooth%d_r' % k] = np.abs(Cs[regs])
        # smoothed TF vs raw target
        Zs = zs(Xs)
        Zr = zs(Xk)
        T['smooth%d_mix' % k] = np.abs(Zs[:, regs].T @ Zr / len(Zr))
        T['smooth%d_pcor' % k] = np.abs(pcor_all(Cs, 0.95)[regs])
    if which.get('blend'):
        R = rank_scale(Cv[regs])
        Pc = T['crowd_pcor']
        for m in [10, 25]:
            # per TF: share of its top-m |r| genes that are not in its top-m pcor genes ("lost" mass)
            w = np.empty(len(regs))
            for a in range(len(regs)):
                tr = set(np.argsort(-R[a])[:m])
                tp = set(np.argsort(-Pc[a])[:m])
                w[a] = 1 - len(tr & tp) / m
            T['blend%d' % m] = (1 - w[:, None]) * Pc + w[:, None] * R
            T['blend%d_half' % m] = (1 - w[:, None] / 2) * Pc + w[:, None] / 2 * R
    return T


def main():
    out = sys.argv[1]
    which = {'excl': [5, 10, 25, 50, 0.05, 0.1], 'excl_shrink': [0.95, 0.8], 'smooth': [5, 15, 30], 'blend': True}
    if out.endswith('-excl.json'):   # second pass: larger neighbourhoods only (fast path)
        which = {'excl': [50, 100, 150, 0.1, 0.2, 0.3], 'excl_shrink': [0.95], 'fast': True}
    res = {}
    try:
        res = json.load(open(out))
    except Exception:
        pass
    for d in sys.argv[2:]:
        name = d.rstrip('/').split('/')[-1]
        if name in res:
            continue
        X, names, truth, regs, genes, keep = load(d)
        T = terms(X, regs, keep, which)
        sc = {m: score(S[:, genes], regs, genes, names, truth) for m, S in T.items()}
        b = sc['r']
        crit = {m: (math.log(e / b[0]) + math.log(a / b[1])) / 2 for m, (e, a) in sc.items()}
        res[name] = {'scores': sc, 'crit': crit}
        print(name, ' '.join('%s %+.3f' % (m, c) for m, c in crit.items()), flush=True)
        json.dump(res, open(out, 'w'), indent=0)


if __name__ == '__main__':
    main()

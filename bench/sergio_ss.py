#!/usr/bin/python3
"""Steady-state single-cell expression in the manner of SERGIO (Dibaeinia & Sinha, Cell Systems 2020).

Session 15, helper s15 (docs/benchmarks.md "GRN accuracy: round 15, SERGIO steady-state regime"). An independent
re-implementation from the paper's model (numpy only; no SERGIO code or data). The model, as SERGIO's steady-state
mode runs it (its DS1-DS3 settings: 300 cells per type, decay 0.8, noise 1.0 of type "dpd", Hill coefficient 2,
"sampling_state" 15, dt 0.01):

* A DAG of genes. Master regulators (MRs, no regulators) have a production rate per cell type ("bin"); every other
  gene's production is  P = sum_r |K_r| * H_r(x_r),  H = x^n / (h^n + x^n) for an activator (K > 0) and
  1 - x^n / (h^n + x^n) for a repressor (K < 0), n = 2, h_r = the mean over cell types of regulator r's simulated
  per-type mean expression (so regulators are simulated before their targets, generation by generation).
* Chemical Langevin equation, Euler-Maruyama, one trajectory per gene and cell type:
  x[k+1] = max(0, x[k] + dt (P[k] - lam x[k]) + sqrt(dt) q (sqrt(P[k]) w1 + sqrt(lam x[k]) w2)),
  started at the deterministic steady state (MR: rate / lam; target: P(regulators' per-type means) / lam).
  A target's P[k] uses its regulators' x at the same step k, so step k is one cell across all genes of its type.
* Cells: sampling_state * cells_per_type steps are simulated per type (including the start); the same
  cells_per_type step indices, drawn uniformly with replacement from all of them, are the cells of every type.
* Output: clean expression (no technical noise), cells ordered by type.

Random networks (our own generator; every gene is either an MR or has at least one regulator, as SERGIO requires):
regulators = MRs + intermediate regulators (each regulated by 1-3 earlier regulators); each other gene draws its
in-degree from sergio-DS1's in-degree profile and its regulators with heavy-tailed (Zipf-like) weights per
regulator. Topology "modular": targets share a few regulator combinations (as DS1's 93 targets use 8 combinations);
"random": each target draws its own. K: activator with probability 0.75, |K| ~ U(1, 5) (SERGIO's default
parametrisation). MR rates per type: "low" U(0.2, 0.5) or "high" U(0.7, 1.0) with probability 1/2 each.

Usage:
  sergio_ss.py make OUT --seed S --genes N --regs R --mrs M --types T [--cells 300] [--topology modular|random]
  sergio_ss.py replay OUT --seed S --truth truth.csv --types T   (a given network, random K and rates)
  (--reg-decay D: diagnostic, the regulators' decay only; slower regulators = less time-filtering by targets)
  sergio_ss.py stats SET                                          (summary statistics, needs data.h5ad, truth.csv)
Writes OUT/data.h5ad (cells x genes float32, genes G0..), OUT/truth.csv (Gene1,Gene2), OUT/tfs.txt (every gene, as
sergio-DS1), OUT/meta.json (parameters, types per cell).
"""
import argparse
import json
import os
import sys

import numpy as np

DECAY = 0.8
NOISE = 1.0
HILL_N = 2.0
DT = 0.01
SAMPLING_STATE = 15
# sergio-DS1's targets: in-degree -> count (62 x 2, 9 x 3, 6 x 4, 8 x 5, 7 x 6, 1 x 1)
INDEG = {1: 1, 2: 62, 3: 9, 4: 6, 5: 8, 6: 7}


def draw_indegree(rng, cap):
    ks = np.array(sorted(INDEG))
    p = np.array([INDEG[k] for k in ks], float)
    p /= p.sum()
    return int(min(cap, rng.choice(ks, p=p)))


def random_network(rng, n_genes, n_regs, n_mrs, topology):
    """Edges (reg, target) over genes 0..n_genes-1; regulators are genes 0..n_regs-1, MRs 0..n_mrs-1."""
    assert 0 < n_mrs <= n_regs < n_genes
    edges = set()
    # intermediate regulators: 1-3 inputs from earlier regulators (MRs or earlier intermediates)
    for g in range(n_mrs, n_regs):
        k = int(rng.integers(1, 4))
        for r in rng.choice(g, size=min(k, g), replace=False):
            edges.add((int(r), g))
    # heavy-tailed regulator weights (a few regulators with many targets, as in DS1: 76, 76, 35, 34, 17, ...)
    w = 1.0 / (1.0 + rng.permutation(n_regs)) ** 1.2
    w /= w.sum()
    targets = list(range(n_regs, n_genes))
    if topology == "modular":
        n_combo = max(3, int(round(len(targets) / 11)))
        combos = []
        for _ in range(n_combo):
            k = draw_indegree(rng, n_regs)
            combos.append(tuple(int(r) for r in rng.choice(n_regs, size=k, replace=False, p=w)))
        cw = rng.dirichlet(np.full(n_combo, 0.5))
        for t in targets:
            for r in combos[rng.choice(n_combo, p=cw)]:
                edges.add((r, t))
    elif topology == "random":
        for t in targets:
            k = draw_indegree(rng, n_regs)
            for r in rng.choice(n_regs, size=k, replace=False, p=w):
                edges.add((int(r), t))
    else:
        raise SystemExit("unknown topology " + topology)
    # every regulator regulates something
    out = {r: 0 for r in range(n_regs)}
    for r, _ in edges:
        out[r] += 1
    for r in range(n_regs):
        if out[r] == 0:
            edges.add((r, int(rng.choice(targets))))
    return sorted(edges)


def parameterise(rng, edges, n_genes, n_types):
    K = {e: (1.0 if rng.random() < 0.75 else -1.0) * rng.uniform(1.0, 5.0) for e in edges}
    has_reg = {t for _, t in edges}
    mrs = [g for g in range(n_genes) if g not in has_reg]
    rates = {}
    for m in mrs:
        high = rng.random(n_types) < 0.5
        rates[m] = np.where(high, rng.uniform(0.7, 1.0, n_types), rng.uniform(0.2, 0.5, n_types))
    return K, rates


def generations(edges, n_genes):
    regs = {g: [] for g in range(n_genes)}
    for r, t in edges:
        regs[t].append(r)
    gen = {}
    while len(gen) < n_genes:
        for g in range(n_genes):
            if g not in gen and all(r in gen for r in regs[g]):
                gen[g] = 1 + max([gen[r] for r in regs[g]], default=-1)
    return regs, gen


def simulate(rng, edges, K, rates, n_genes, n_types, cells, reg_decay=DECAY):
    steps = SAMPLING_STATE * cells
    is_reg = {r for r, _ in edges}
    lam_of = {g: (reg_decay if g in is_reg else DECAY) for g in range(n_genes)}
    regs, gen = generations(edges, n_genes)
    idx = rng.integers(0, steps, size=cells)  # the cells: the same step indices in every type
    traj = {}  # gene -> (types, steps) trajectory
    mean = np.zeros((n_genes, n_types))  # per-type mean of the sampled cells
    half = np.zeros(n_genes)
    for level in range(max(gen.values()) + 1):
        genes = [g for g in range(n_genes) if gen[g] == level]
        P = np.zeros((len(genes), n_types, steps))
        x0 = np.zeros((len(genes), n_types))
        lam = np.array([lam_of[g] for g in genes])[:, None]
        for i, g in enumerate(genes):
            if not regs[g]:
                P[i] = rates[g][:, None]
                x0[i] = rates[g] / lam_of[g]
                continue
            p0 = np.zeros(n_types)
            for r in regs[g]:
                k = K[(r, g)]
                h = half[r]
                x = traj[r]
                a = x ** HILL_N / (h ** HILL_N + x ** HILL_N)
                a0 = mean[r] ** HILL_N / (h ** HILL_N + mean[r] ** HILL_N)
                if k < 0:
                    a, a0 = 1.0 - a, 1.0 - a0
                P[i] += abs(k) * a
                p0 += abs(k) * a0
            x0[i] = p0 / lam_of[g]
        X = np.empty_like(P)
        X[:, :, 0] = x0
        sq = np.sqrt(DT)
        for s in range(steps - 1):
            x = X[:, :, s]
            p = P[:, :, s]
            w1 = rng.standard_normal(x.shape)
            w2 = rng.standard_normal(x.shape)
            nx = x + DT * (p - lam * x) + sq * NOISE * (np.sqrt(p) * w1 + np.sqrt(lam * x) * w2)
            X[:, :, s + 1] = np.maximum(nx, 0.0)
        for i, g in enumerate(genes):
            traj[g] = X[i]
            mean[g] = X[i][:, idx].mean(axis=1)
            half[g] = mean[g].mean()
    expr = np.stack([traj[g][:, idx] for g in range(n_genes)], axis=2)  # types, cells, genes
    return expr.reshape(n_types * cells, n_genes)


def write_set(out, X, edges, n_genes, n_types, cells, meta):
    import anndata
    import pandas as pd
    os.makedirs(out, exist_ok=True)
    names = ["G%d" % g for g in range(n_genes)]
    obs = pd.DataFrame(index=["C%d" % c for c in range(X.shape[0])])
    ad = anndata.AnnData(X=X.astype(np.float32), obs=obs, var=pd.DataFrame(index=names))
    ad.write_h5ad(os.path.join(out, "data.h5ad"))
    with open(os.path.join(out, "truth.csv"), "w") as f:
        f.write("Gene1,Gene2\n")
        for r, t in edges:
            f.write("G%d,G%d\n" % (r, t))
    with open(os.path.join(out, "tfs.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    meta = dict(meta, types_per_cell="cells ordered by type, %d per type" % cells)
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)


def stats(d):
    """Value range, the regulators' between-type share of variance (types = consecutive blocks from meta.json or
    300-cell blocks), and |Pearson r|'s EPR / AUPRC ratio (the README's scoring, ties by (TF, target) name)."""
    import anndata
    import pandas as pd
    a = anndata.read_h5ad(os.path.join(d, "data.h5ad"))
    X = np.asarray(a.X, dtype=float)
    names = list(a.var_names)
    t = pd.read_csv(os.path.join(d, "truth.csv"))
    cells = 300
    mf = os.path.join(d, "meta.json")
    if os.path.exists(mf):
        cells = json.load(open(mf))["cells"]
    T = X.shape[0] // cells
    regs = sorted(set(t.Gene1))
    ri = [names.index(r) for r in regs]
    B = X[: T * cells].reshape(T, cells, -1)
    share = np.mean([B[:, :, i].mean(1).var() / X[:, i].var() for i in ri])
    genes = sorted(set(t.Gene1) | set(t.Gene2))
    gi = [names.index(g) for g in genes]
    C = np.corrcoef(X[:, ri].T, X[:, gi].T)[: len(ri), len(ri):]
    truth = set(zip(t.Gene1, t.Gene2))
    cand = []
    for a_, r in enumerate(regs):
        for b_, g in enumerate(genes):
            if r != g:
                s = C[a_, b_]
                cand.append((-abs(0 if np.isnan(s) else s), r, g))
    cand.sort()
    epr, auprc_ratio = ranked_scores(np.array([(r, g) in truth for _, r, g in cand]))
    return dict(cells=X.shape[0], genes=X.shape[1], types=T, edges=len(truth), regs=len(regs),
                min=float(X.min()), median=float(np.median(X)), max=float(X.max()), zero=float((X == 0).mean()),
                reg_between_share=float(share), pearson_epr=float(epr), pearson_auprc_ratio=float(auprc_ratio))


def ranked_scores(lab):
    """EPR and AUPRC ratio of a ranking given its labels in rank order (BEELINE's candidates: the scorer of
    ../shared/benchmarks/README.md): precision in the top k = #true over the density, and average precision over
    the density."""
    dens = lab.mean()
    k = int(lab.sum())
    epr = lab[:k].mean() / dens
    hits = np.cumsum(lab)
    ap = (hits[lab] / (np.flatnonzero(lab) + 1)).mean()
    return epr, ap / dens


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["make", "replay", "stats"])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--genes", type=int, default=100)
    ap.add_argument("--regs", type=int, default=10)
    ap.add_argument("--mrs", type=int, default=7)
    ap.add_argument("--types", type=int, default=9)
    ap.add_argument("--cells", type=int, default=300)
    ap.add_argument("--topology", default="modular")
    ap.add_argument("--truth", help="replay: the network (Gene1,Gene2 with genes G0..)")
    ap.add_argument("--reg-decay", type=float, default=DECAY,
                    help="diagnostic only: decay of the regulators (genes with targets); SERGIO: 0.8 for all")
    a = ap.parse_args()
    if a.cmd == "stats":
        print(json.dumps(stats(a.out)))
        return
    rng = np.random.default_rng(a.seed)
    if a.cmd == "make":
        edges = random_network(rng, a.genes, a.regs, a.mrs, a.topology)
        n_genes = a.genes
    else:
        import pandas as pd
        t = pd.read_csv(a.truth)
        edges = sorted({(int(r[1:]), int(g[1:])) for r, g in zip(t.Gene1, t.Gene2)})
        n_genes = a.genes
        if max(max(e) for e in edges) >= n_genes:
            sys.exit("--genes too small for the network")
    K, rates = parameterise(rng, edges, n_genes, a.types)
    X = simulate(rng, edges, K, rates, n_genes, a.types, a.cells, a.reg_decay)
    meta = dict(vars(a), decay=DECAY, noise=NOISE, hill_n=HILL_N, dt=DT, sampling_state=SAMPLING_STATE,
                n_edges=len(edges), n_mrs=len(rates))
    write_set(a.out, X, edges, n_genes, a.types, a.cells, meta)
    print(json.dumps(stats(a.out)))


if __name__ == "__main__":
    main()

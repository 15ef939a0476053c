#!/usr/bin/python3
"""Dynamic single-cell expression in the manner of BoolODE (Pratapa et al., Nature Methods 2020), for checking
crowd on dynamic networks that played no part in choosing it.

Session 24 (lead; docs/benchmarks.md "GRN accuracy: direction=lag on fresh dynamic simulations (lead, session 24)").
An independent re-implementation of the published model (numpy only; no BoolODE code, rules or data):

* Each gene i has a Boolean rule over its regulators R_i. Its mRNA x_i and protein p_i follow
      dx_i/dt = m f_i(p) - l_x x_i,    dp_i/dt = r x_i - l_p p_i,   m = 20, l_x = 10, r = 10, l_p = 1
  (BoolODE's default rates), and f_i is the rule made continuous by Hill terms, n = 10, threshold k = 10 (half of
  the protein's maximum m r / (l_x l_p) = 20):
      f_i = sum_S a_S w_S / sum_S w_S,  S over the subsets of R_i that are ON,  w_S = prod_{j in S} (p_j / k)^n,
  a_S = the rule's value with exactly the regulators in S on (w of the empty set = 1).
* Euler-Maruyama with step h = 0.01 on all 2G variables, noise 10 sqrt(|y|) times a normal increment of standard
  deviation h (BoolODE's scaling); a step that would make a variable negative keeps its previous value.
* Initial state: the start gene(s) at x = 1, every other gene at 0.01; p = r x / l_p.
* Cells: one trajectory per cell, each cell one uniformly drawn time point of its trajectory (BoolODE's sampled
  cells); 2,000 cells. Output X = mRNA levels as they are (BEELINE's synthetic sets are not normalised).

Random networks (our generator; not BEELINE's topologies): a start gene g1 switched off by a late gene (the pulse
that makes the process transient, as in BoolODE's linear models), genes g2..gG each with one or two earlier
regulators (rules "a", "not a", "a and b", "a or b", "a and not b"), with probability 1/2 a branch point where two
siblings of one parent inhibit each other ("p and not b" / "p and not a"), and with probability 1/2 a late gene
that sustains itself ("a or self"). A simulation is kept only if every gene varies (max mRNA > 0.2); the truth is
every (regulator, target) pair of the rules, self-loops included (the scorer drops them); every gene is a
candidate regulator (tfs.txt), as in BEELINE's synthetic sets.

Usage:
  boolode_like.py make OUT --seed S [--genes G] [--cells 2000] [--time T]
"""
import argparse
import itertools
import os

import numpy as np


def random_rules(rng, g):
    """rules[i] = (regulators (indices), function of a tuple of booleans in that order)."""
    rules = [None] * g
    i = 1
    branch = rng.random() < 0.5
    while i < g:
        if branch and i + 1 < g and i >= 2 and rng.random() < 0.35:
            p = int(rng.integers(max(0, i - 3), i))
            rules[i] = ((p, i + 1), lambda v: v[0] and not v[1])
            rules[i + 1] = ((p, i), lambda v: v[0] and not v[1])
            branch = False
            i += 2
            continue
        lo = max(0, i - 3)
        a = int(rng.integers(lo, i))
        if i >= 2 and rng.random() < 0.4:
            b = int(rng.integers(0, i))
            while b == a:
                b = int(rng.integers(0, i))
            kind = rng.choice(["and", "or", "andnot"])
            f = {"and": lambda v: v[0] and v[1], "or": lambda v: v[0] or v[1],
                 "andnot": lambda v: v[0] and not v[1]}[kind]
            rules[i] = ((a, b), f)
        else:
            neg = rng.random() < 0.15 and a != 0
            rules[i] = ((a,), (lambda v: not v[0]) if neg else (lambda v: v[0]))
        i += 1
    last = g - 1
    if rng.random() < 0.5:
        regs, f = rules[last]
        rules[last] = (tuple(regs) + (last,), (lambda f0: (lambda v: f0(v[:-1]) or v[-1]))(f))
    off = int(rng.integers(max(1, g - 3), g))
    rules[0] = ((off,), lambda v: not v[0])
    return rules


def tables(rules):
    """Per gene: regulators and the list of (subset mask as a tuple of 0/1, value a_S)."""
    out = []
    for regs, f in rules:
        rows = []
        for bits in itertools.product([0, 1], repeat=len(regs)):
            rows.append((np.array(bits, dtype=bool), float(bool(f(tuple(bool(b) for b in bits))))))
        out.append((np.array(regs), rows))
    return out


def simulate(rules, cells, t_max, rng, h=0.01, m=20.0, lx=10.0, r=10.0, lp=1.0, n=10.0, k=10.0, start=(0,)):
    g = len(rules)
    tab = tables(rules)
    steps = int(round(t_max / h))
    x = np.full((cells, g), 0.01)
    for s in start:
        x[:, s] = 1.0
    p = r * x / lp
    sample_at = rng.integers(1, steps + 1, size=cells)
    out = np.zeros((cells, g))
    for t in range(1, steps + 1):
        w = (p / k) ** n
        f = np.empty_like(x)
        for i, (regs, rows) in enumerate(tab):
            num = np.zeros(cells)
            den = np.zeros(cells)
            for bits, a in rows:
                ws = np.ones(cells)
                for j, on in zip(regs, bits):
                    if on:
                        ws = ws * w[:, j]
                den += ws
                if a:
                    num += ws
            f[:, i] = num / den
        dx = h * (m * f - lx * x) + 10.0 * np.sqrt(np.abs(x)) * rng.normal(0.0, h, x.shape)
        dp = h * (r * x - lp * p) + 10.0 * np.sqrt(np.abs(p)) * rng.normal(0.0, h, p.shape)
        nx, np_ = x + dx, p + dp
        x = np.where(nx < 0, x, nx)
        p = np.where(np_ < 0, p, np_)
        hit = sample_at == t
        out[hit] = x[hit]
    return out


def write(out, X, rules):
    import anndata as ad
    import pandas as pd
    g = X.shape[1]
    names = [f"g{i + 1}" for i in range(g)]
    os.makedirs(out, exist_ok=True)
    a = ad.AnnData(X=X.astype(np.float32), obs=pd.DataFrame(index=[f"c{i}" for i in range(X.shape[0])]),
                   var=pd.DataFrame(index=names))
    a.write_h5ad(os.path.join(out, "data.h5ad"))
    with open(os.path.join(out, "truth.csv"), "w") as fh:
        fh.write("Gene1,Gene2\n")
        for i, (regs, _) in enumerate(rules):
            for j in regs:
                fh.write(f"{names[j]},{names[i]}\n")
    with open(os.path.join(out, "tfs.txt"), "w") as fh:
        fh.write("\n".join(names) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["make"])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--genes", type=int, default=0, help="0: drawn from 6..14")
    ap.add_argument("--cells", type=int, default=2000)
    ap.add_argument("--time", type=float, default=0.0, help="0: drawn from 5..8")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    for attempt in range(50):
        g = a.genes or int(rng.integers(6, 15))
        t_max = a.time or float(rng.choice([5.0, 6.0, 7.0, 8.0]))
        rules = random_rules(rng, g)
        X = simulate(rules, a.cells, t_max, rng)
        if (X.max(axis=0) > 0.2).all():
            write(a.out, X, rules)
            print(f"{a.out}: {g} genes, t_max {t_max}, {sum(len(r[0]) for r in rules)} edges, attempt {attempt}")
            return
    raise SystemExit(f"{a.out}: no simulation with every gene varying in 50 attempts")


if __name__ == "__main__":
    main()

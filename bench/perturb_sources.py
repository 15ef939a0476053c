#!/usr/bin/env python3
"""Where the default knock-out prediction's shifts on genes the TF does not reach come from.

Reads the dumps of `PerturbDiag -Ddump=DIR` with the `X:` variants of `PerturbDecomp` (docs/benchmarks.md,
"In-silico perturbation: round 10") and splits the default's mean shift D (`X:final:fit:tot`, = `R:0.25`) per gene
into five additive sources:

  D = w_rank * (0.65 * fit + b * tot),   b = 0.35 * sd(fit) / sd(tot)   (the TF left out of the sds)
  fit = fit1g + fit1p + (fit - fit1)     one step through the group part (1 - w) b_k / the pooled part w c of the
                                         direct fit's coefficients, and what steps 2-10 add (paths through other TFs)
  tot = totg + totp                      the total effect's group / pooled part

For the genes the TF does not reach in the true network (depth < 0) it prints, as medians over knock-outs:
  share: the source's share of sum_U D^2 (sum_U D * c / sum_U D^2; the shares add up to 1);
  r-all: the change of r (over all genes) when the source is removed from every gene (what removing it at the
         source would do, to the real targets too);
  r-U:   the change of r when it is removed from the unreached genes only (an oracle: how much of the spurious
         part it carries).
Then the listed comparison variants: median r, median ratio to naive, knock-outs better / worse than the default.

  python3 bench/perturb_sources.py DUMPDIR [VARIANT ...]
"""
import glob
import os
import sys

import numpy as np


def load(path):
    lines = open(path).read().strip().split('\n')
    hdr = lines[0].split('\t')
    rows = [line.split('\t') for line in lines[1:]]
    return {h: [r[i] for r in rows] for i, h in enumerate(hdr)}


def r(p, t):
    return np.corrcoef(p, t)[0, 1]


def main():
    dump = sys.argv[1]
    extra = sys.argv[2:]
    names = ['fit1g (direct coef., group part)', 'fit1p (direct coef., pooled part)',
             'fit - fit1 (multi-step paths)', 'totg (total effect, group part)', 'totp (total effect, pooled part)']
    share = [[] for _ in names]
    dall = [[] for _ in names]
    du = [[] for _ in names]
    base_r = []
    res = {v: [] for v in extra}
    naive = []
    ks = []
    for f in sorted(glob.glob(os.path.join(dump, 'd_*.tsv'))):
        seed, tf = os.path.basename(f)[2:-4].split('_')
        c = load(f)
        keep = np.array([g != tf for g in c['gene']])
        col = {k: np.array(v, float)[keep] for k, v in c.items() if k not in ('gene',)}
        t = col['true']
        u = col['depth'] < 0
        d = col['X:final:fit:tot']
        fit, tot = col['X:fit'], col['X:tot']
        b = 0.35 * fit.std() / tot.std() if tot.std() > 0 else 0
        blend = 0.65 * fit + b * tot
        w = np.where(np.abs(blend) > 1e-12, d / np.where(blend == 0, 1, blend), 0)
        comps = [0.65 * col['X:fit1g'], 0.65 * col['X:fit1p'], 0.65 * (fit - col['X:fit1']), b * col['X:totg'],
                 b * col['X:totp']]
        comps = [w * x for x in comps]
        r0 = r(d, t)
        base_r.append(r0)
        ss = (d[u] ** 2).sum()
        for i, x in enumerate(comps):
            share[i].append((d[u] * x[u]).sum() / ss)
            dall[i].append(r(d - x, t) - r0)
            y = d.copy()
            y[u] -= x[u]
            du[i].append(r(y, t) - r0)
        resid = d - sum(comps)
        naive.append(r(col['naive'], t))
        ks.append((seed, tf, np.abs(resid).max()))
        for v in extra:
            res[v].append(r(col[v], t))
    n = len(base_r)
    print(f'{n} knock-outs; default median r {np.median(base_r):.3f}; max |D - sum of sources| '
          f'{max(k[2] for k in ks):.2e}')
    print('| source | share of sum_U D^2 | r if removed everywhere | r if removed on the unreached only |')
    print('|---|---|---|---|')
    for i, nm in enumerate(names):
        print(f'| {nm} | {np.median(share[i]):+.3f} (mean {np.mean(share[i]):+.3f}) | {np.median(dall[i]):+.3f} '
              f'| {np.median(du[i]):+.3f} |')
    naive = np.array(naive)
    base = np.array(base_r)
    print('\n| variant | median r | median ratio to naive | better / worse than default | mean r |')
    print('|---|---|---|---|---|')
    for v in ['default'] + extra:
        x = base if v == 'default' else np.array(res[v])
        print(f'| {v} | {np.median(x):.3f} | {np.median(x / naive):.2f}x | {(x > base + 1e-9).sum()} / '
              f'{(x < base - 1e-9).sum()} | {np.mean(x):.3f} |')


if __name__ == '__main__':
    main()

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

  With --auroc (needs --net), the median over knock-outs of each label-free per-gene score's AUROC for "reached
  by the TF" / "direct target".

  python3 bench/perturb_sources.py [--net NETDIR] [--auroc] DUMPDIR[,DUMPDIR2...] [VARIANT ...]
  (with --net, a VARIANT B:FIT:TOT:W:GAMMA is computed here: rank^-GAMMA x the blend with weight W of the dumped
  X:FIT and X:TOT; B:fit:tot:0.35:0.25 is the default)   (columns of the same knock-out's dumps in
  further directories are joined, where they exist)
"""
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perturb_classes import load, ranks  # noqa: E402  (one home of the dump reader and the rank rule)


def auroc(score, y):
    """Area under the ROC curve of score for the boolean labels y (ties broken by order)."""
    o = np.argsort(score, kind='stable')
    rk = np.empty(len(score))
    rk[o] = np.arange(1, len(score) + 1)
    n1 = y.sum()
    n0 = len(y) - n1
    return (rk[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


AUROC_SCORES = {
    'network rank of the TF (TargetWeights)': lambda col, rk: -rk,
    'size of default shift': lambda col, rk: np.abs(col['X:final:fit:tot']),
    'size of direct fit': lambda col, rk: np.abs(col['X:fit']),
    'size of total effect': lambda col, rk: np.abs(col['X:tot']),
    'size of total effect, group-centred pooled': lambda col, rk: np.abs(col['X:ctot']),
    'size of direct fit, group-centred pooled': lambda col, rk: np.abs(col['X:cfit']),
    'size of per-group models only: direct fit': lambda col, rk: np.abs(col['X:gfit']),
    'size of per-group models only: total effect': lambda col, rk: np.abs(col['X:gtot']),
    'within-group total x total (sign agreement, size)': lambda col, rk: col['X:ctot'] * col['X:tot'],
    'group part x pooled part of the direct coefficient': lambda col, rk: col['X:fit1g'] * col['X:fit1p'],
}


def mix(fit, tot, w):
    """MarginalBlend.blend: (1 - w) fit + w sd(fit) / sd(tot) tot."""
    return (1 - w) * fit + (w * fit.std() / tot.std() if tot.std() > 0 else 0) * tot


def r(p, t):
    return np.corrcoef(p, t)[0, 1]


def main():
    args = sys.argv[1:]
    net = None
    if args[0] == '--net':
        net, args = args[1], args[2:]
    show_auroc = args[0] == '--auroc'
    if show_auroc:
        args = args[1:]
    aur = {k: [] for k in AUROC_SCORES}
    dumps = args[0].split(',')
    extra = args[1:]
    names = ['fit1g (direct coef., group part)', 'fit1p (direct coef., pooled part)',
             'fit - fit1 (multi-step paths)', 'totg (total effect, group part)', 'totp (total effect, pooled part)']
    share = [[] for _ in names]
    dall = [[] for _ in names]
    du = [[] for _ in names]
    base_r = []
    res = {v: [] for v in extra}
    naive = []
    ks = []
    for f in sorted(glob.glob(os.path.join(dumps[0], 'd_*.tsv'))):
        seed, tf = os.path.basename(f)[2:-4].split('_')
        others = [o for o in (os.path.join(d, os.path.basename(f)) for d in dumps[1:]) if os.path.exists(o)]
        c = load(f)
        for o in others:
            for k, v in load(o).items():
                c.setdefault(k, v)
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
        rk = ranks(net, seed, c['gene'], tf, limit=30)[keep] if net else None
        if show_auroc:
            for k, fn in AUROC_SCORES.items():
                aur[k].append((auroc(fn(col, rk), col['depth'] > 0), auroc(fn(col, rk), col['depth'] == 1)))
        for v in extra:
            if v.startswith('B:'):
                # B:FIT:TOT:W:GAMMA: rank^-GAMMA x the blend (weight W) of the dumped columns X:FIT and X:TOT
                _, fv, tv, wv, gv = v.split(':')
                p = mix(col['X:' + fv], col['X:' + tv], float(wv)) * rk ** -float(gv)
                res[v].append(r(p, t))
            else:
                res[v].append(r(col[v], t))
    n = len(base_r)
    print(f'{n} knock-outs; default median r {np.median(base_r):.3f}; max |D - sum of sources| '
          f'{max(k[2] for k in ks):.2e}')
    print('| source | share of sum_U D^2 | r if removed everywhere | r if removed on the unreached only |')
    print('|---|---|---|---|')
    for i, nm in enumerate(names):
        print(f'| {nm} | {np.median(share[i]):+.3f} (mean {np.mean(share[i]):+.3f}) | {np.median(dall[i]):+.3f} '
              f'| {np.median(du[i]):+.3f} |')
    if show_auroc:
        print('\n| per-gene score | AUROC for "reached by the TF" | for "direct target" |')
        print('|---|---|---|')
        for k, v in aur.items():
            a = np.array(v)
            print(f'| {k} | {np.median(a[:, 0]):.3f} | {np.median(a[:, 1]):.3f} |')
    naive = np.array(naive)
    base = np.array(base_r)
    print('\n| variant | median r | median ratio to naive | better / worse than default | mean r | median gain per '
          'knock-out |')
    print('|---|---|---|---|---|---|')
    for v in ['default'] + extra:
        x = base if v == 'default' else np.array(res[v])
        print(f'| {v} | {np.median(x):.3f} | {np.median(x / naive):.2f}x | {(x > base + 1e-9).sum()} / '
              f'{(x < base - 1e-9).sum()} | {np.mean(x):.3f} | {np.median(x - base):+.3f} |')


if __name__ == '__main__':
    main()

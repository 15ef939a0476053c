#!/usr/bin/env python3
"""Round 10b (docs/benchmarks.md, "In-silico perturbation: round 10b"): the joint re-tune of the rank weight γ, the
total-effect blend weight W and the between-group share S, scored from `PerturbDiag -Ddump=DIR` dumps holding the
`PerturbDecomp` columns X:cfit/S (direct fit, pooled models keeping S of the between-group co-variation) and
X:ctot/S (total effect, same share) for each S.

Each setting's prediction is the default's combination, rank^-γ × MarginalBlend(fit, tot, W); the cell (S 0.25,
W 0.35, γ 0.25) is the shipped default and is checked against the dumped X:final:cfit/0.25:ctot/0.25 (and any
other dumped X:final:cfit/S:ctot/S[:γ] column). Prints per setting: median r over the knock-outs (and per seed
block), median ratio to naive, knock-outs better / worse than the default, mean r, median gain; then the registered
rule's verdict (best median r ≥ default + 0.01 and median ratio ≥ the default's).

  python3 bench/perturb_retune.py --net NETDIR DUMPDIR [--shares 0.25,0.1] [--weights 0.35,0.5] [--gammas 0.25,0.4,0.6]
"""
import argparse
import glob
import itertools
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perturb_classes import block_cells, load, naive_cells, parse_blocks, ranks  # noqa: E402
from perturb_sources import mix, r  # noqa: E402

DEFAULT = (0.25, 0.35, 0.25)  # S, W, γ


def fmt(x):
    return f'{x:g}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--net', required=True)
    ap.add_argument('dump')
    ap.add_argument('--shares', default='0.25,0.1')
    ap.add_argument('--weights', default='0.35,0.5')
    ap.add_argument('--gammas', default='0.25,0.4,0.6')
    ap.add_argument('--blocks', default='11-14+31-34:11,12,13,14,31,32,33,34;91-98:91,92,93,94,95,96,97,98')
    a = ap.parse_args()
    grid = list(itertools.product(*[[float(v) for v in s.split(',')] for s in (a.shares, a.weights, a.gammas)]))
    res = {s: [] for s in grid}
    naive, seeds = [], []
    check = 0.0
    for f in sorted(glob.glob(os.path.join(a.dump, 'd_*.tsv'))):
        seed, tf = os.path.basename(f)[2:-4].split('_')
        c = load(f)
        keep = np.array([g != tf for g in c['gene']])
        col = {k: np.array(v, float)[keep] for k, v in c.items() if k != 'gene'}
        t = col['true']
        rk = ranks(a.net, seed, c['gene'], tf, limit=30)[keep]
        naive.append(r(col['naive'], t))
        seeds.append(int(seed))
        pred = {}
        for s, w, g in grid:
            p = mix(col[f'X:cfit/{fmt(s)}'], col[f'X:ctot/{fmt(s)}'], w) * rk ** -g
            pred[(s, w, g)] = p
            res[(s, w, g)].append(r(p, t))
        for k in col:
            if k.startswith('X:final:cfit/'):
                parts = k.split(':')
                s = float(parts[2].split('/')[1])
                g = float(parts[4]) if len(parts) > 4 else 0.25
                if (s, 0.35, g) in pred:
                    check = max(check, float(np.abs(pred[(s, 0.35, g)] - col[k]).max()))
    naive = np.array(naive)
    seeds = np.array(seeds)
    base = np.array(res[DEFAULT])
    blocks = parse_blocks(a.blocks)
    print(f'{len(base)} knock-outs; max |python - dumped X:final| {check:.2e}')
    print('| S (between share) | W (total blend) | γ (rank weight) | '
          + ' | '.join(f'{n} ({int(np.isin(seeds, ss).sum())}) median r, ratio' for n, ss in blocks)
          + ' | all: median r | all: median ratio | better / worse | mean r | median gain |')
    print('|---' * (8 + len(blocks)) + '|')
    summary = {}
    for key in grid:
        x = np.array(res[key])
        med, ratio = np.median(x), np.median(x / naive)
        summary[key] = (med, ratio)
        bl = block_cells(x, naive, seeds, blocks)
        tag = ' (default)' if key == DEFAULT else ''
        print(f'| {fmt(key[0])}{tag} | {fmt(key[1])} | {fmt(key[2])} | {bl} | {med:.3f} | {ratio:.2f}× | '
              f'{(x > base + 1e-9).sum()} / {(x < base - 1e-9).sum()} | {np.mean(x):.3f} | '
              f'{np.median(x - base):+.3f} |')
    print('| naive | | | ' + naive_cells(naive, seeds, blocks))
    best = max(grid, key=lambda k: summary[k][0])
    d_med, d_ratio = summary[DEFAULT]
    b_med, b_ratio = summary[best]
    ok = b_med >= d_med + 0.01 and b_ratio >= d_ratio
    print(f'\nbest median r: S {fmt(best[0])}, W {fmt(best[1])}, γ {fmt(best[2])}: {b_med:.4f} (default {d_med:.4f}, '
          f'{b_med - d_med:+.4f}); ratio {b_ratio:.3f}× (default {d_ratio:.3f}×) -> '
          + ('goes to the held-out run' if ok and best != DEFAULT else 'no held-out run'))


if __name__ == '__main__':
    main()

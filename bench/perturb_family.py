#!/usr/bin/env python3
"""Round 11 (docs/benchmarks.md, "In-silico perturbation: round 11"): the registered family scored from
`PerturbDiag -Ddump=DIR` dumps, each column a setting (the default first), and the registered rule's verdict: the
setting with the best median r over the knock-outs goes to the held-out run only if its median r >= the default's
+ 0.01 and its median ratio to naive >= the default's.

  python3 bench/perturb_family.py DUMPDIR DEFAULT_COLUMN [--blocks NAME:SEEDS;...]
"""
import argparse
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perturb_classes import block_cells, load, naive_cells, parse_blocks  # noqa: E402
from perturb_sources import r  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dump')
    ap.add_argument('default')
    ap.add_argument('--blocks', default='11-14+31-34:11,12,13,14,31,32,33,34;91-98:91,92,93,94,95,96,97,98')
    a = ap.parse_args()
    res, naive, seeds, cols = {}, [], [], None
    for f in sorted(glob.glob(os.path.join(a.dump, 'd_*.tsv'))):
        seed, tf = os.path.basename(f)[2:-4].split('_')
        c = load(f)
        keep = np.array([g != tf for g in c['gene']])
        col = {k: np.array(v, float)[keep] for k, v in c.items() if k != 'gene'}
        cols = cols or [k for k in c if k.startswith('X:')]
        t = col['true']
        naive.append(r(col['naive'], t))
        seeds.append(int(seed))
        for k in cols:
            res.setdefault(k, []).append(r(col[k], t))
    naive, seeds = np.array(naive), np.array(seeds)
    base = np.array(res[a.default])
    blocks = parse_blocks(a.blocks)
    print(f'{len(base)} knock-outs')
    print('| setting (dump column) | ' + ' | '.join(f'{n} ({int(np.isin(seeds, ss).sum())}): median r, ratio'
                                                  for n, ss in blocks)
          + ' | all: median r | all: median ratio | better / worse | mean r | median gain |')
    print('|---' * (6 + len(blocks)) + '|')
    summary = {}
    for k in cols:
        x = np.array(res[k])
        med, ratio = np.median(x), np.median(x / naive)
        summary[k] = (med, ratio)
        bl = block_cells(x, naive, seeds, blocks)
        bw = '—' if k == a.default else f'{(x > base + 1e-9).sum()} / {(x < base - 1e-9).sum()}'
        print(f'| `{k}` | {bl} | {med:.3f} | {ratio:.2f}× | {bw} | {np.mean(x):.3f} | {np.median(x - base):+.3f} |')
    print('| naive | ' + naive_cells(naive, seeds, blocks))
    cands = [k for k in cols if k != a.default]
    best = max(cands, key=lambda k: summary[k][0])
    d_med, d_ratio = summary[a.default]
    b_med, b_ratio = summary[best]
    ok = b_med >= d_med + 0.01 and b_ratio >= d_ratio
    print(f'\nbest median r: {best}: {b_med:.4f} (default {d_med:.4f}, {b_med - d_med:+.4f}); ratio {b_ratio:.3f}× '
          f'(default {d_ratio:.3f}×) -> ' + ('goes to the held-out run' if ok else 'no held-out run'))


if __name__ == '__main__':
    main()

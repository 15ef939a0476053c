#!/usr/bin/env python3
"""Per knock-out: the error split into genes the knocked-out TF truly reaches (direct targets, descendants at depth
>= 2) and genes it does not reach (round 12; round 9's classes of bench/perturb_classes.py, per knock-out instead
of medians only).

Reads `PerturbDiag -Ddump=DIR` dumps (d_SEED_TF.tsv) of one variant, for the inferred network and optionally for the
true edges (a second dump folder of `PerturbDiag truth ...`), and prints a markdown row per knock-out: genes per
class, r, each class's share of the true change's variance left unexplained (residual of the least-squares line
true ~ a + b * predicted), the change of r if the unreached genes were predicted flat (their mean prediction) and if
the direct targets were predicted perfectly, r within the direct targets, and the true edges' r and flat change;
then medians per seed block and over all, and split by the TF's number of descendants at depth >= 2 (< or >= 50).

  python3 bench/perturb_reach.py DUMP_NET [DUMP_TRUTH] --variant X:final:cfit/0.25:ctot/0.25 --blocks 151-156,161-166
"""
import argparse
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perturb_classes import load  # noqa: E402


def stats(dump, variant):
    out = {}
    for f in sorted(glob.glob(os.path.join(dump, 'd_*.tsv'))):
        seed, tf = os.path.basename(f)[2:-4].split('_')
        c = load(f)
        keep = np.array([g != tf for g in c['gene']])
        t = np.array(c['true'], float)[keep]
        dep = np.array(c['depth'], int)[keep]
        p = np.array(c[variant], float)[keep]
        r = np.corrcoef(p, t)[0, 1]
        b, a0 = np.polyfit(p, t, 1)
        res = t - (a0 + b * p)
        sst = ((t - t.mean()) ** 2).sum()
        row = {'r': r}
        for k, m in (('dir', dep == 1), ('desc', dep >= 2), ('unr', dep < 0)):
            row['n_' + k] = int(m.sum())
            row['un_' + k] = (res[m] ** 2).sum() / sst
            flat = p.copy()
            flat[m] = p.mean()
            row['flat_' + k] = np.corrcoef(flat, t)[0, 1] - r
            fixed = p.copy()
            fixed[m] = (t[m] - a0) / b
            row['fix_' + k] = np.corrcoef(fixed, t)[0, 1] - r
            row['in_' + k] = np.corrcoef(p[m], t[m])[0, 1] if m.sum() > 3 and p[m].std() > 0 else np.nan
        out[(int(seed), tf)] = row
    return out


def summary(name, ks, net, truth):
    m = lambda d, f: np.nanmedian([d[k][f] for k in ks])  # noqa: E731
    s = (f"| {name} | {len(ks)} | {m(net, 'r'):.3f} | {m(net, 'un_dir'):.3f} / {m(net, 'un_desc'):.3f} / "
         f"{m(net, 'un_unr'):.3f} | {m(net, 'flat_unr'):+.3f} | "
         f"{np.median([net[k]['r'] + net[k]['flat_unr'] for k in ks]):.3f} | {m(net, 'fix_dir'):+.3f} | "
         f"{m(net, 'fix_desc'):+.3f} | {m(net, 'in_dir'):.3f} |")
    if truth:
        kt = [k for k in ks if k in truth]
        s += (f" {m(truth, 'r'):.3f} | {m(truth, 'un_dir'):.3f} / {m(truth, 'un_desc'):.3f} / "
              f"{m(truth, 'un_unr'):.3f} | {m(truth, 'flat_unr'):+.3f} | {m(truth, 'in_dir'):.3f} |") if kt else ''
    print(s)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dump')
    ap.add_argument('truth', nargs='?')
    ap.add_argument('--variant', default='X:final:cfit/0.25:ctot/0.25')
    ap.add_argument('--blocks', default='')
    a = ap.parse_args()
    net = stats(a.dump, a.variant)
    truth = stats(a.truth, a.variant) if a.truth else {}
    print('| seed | TF | genes direct / depth ≥ 2 / unreached | r | unexplained: direct / unreached | '
          'r if unreached flat | r if direct fixed | r within direct | r, true edges | true edges: r if unreached flat |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for k in sorted(net):
        x = net[k]
        y = truth.get(k)
        ys = f"{y['r']:.3f} | {y['flat_unr']:+.3f}" if y else '– | –'
        print(f"| {k[0]} | {k[1]} | {x['n_dir']} / {x['n_desc']} / {x['n_unr']} | {x['r']:.3f} | "
              f"{x['un_dir']:.3f} / {x['un_unr']:.3f} | {x['flat_unr']:+.3f} | {x['fix_dir']:+.3f} | "
              f"{x['in_dir']:.3f} | {ys} |")
    print()
    print('| knock-outs | n | median r | unexplained: direct / depth ≥ 2 / unreached | r if unreached flat | '
          'median of r with unreached flat | r if direct fixed | r if depth ≥ 2 fixed | r within direct |'
          + (' true edges: r | unexplained | r if unreached flat | r within direct |' if truth else ''))
    print('|---|---|---|---|---|---|---|---|---|' + ('---|---|---|---|' if truth else ''))
    blocks = [(b, int(b.split('-')[0]), int(b.split('-')[1])) for b in a.blocks.split(',') if b]
    for name, lo, hi in blocks:
        summary(name, [k for k in net if lo <= k[0] <= hi], net, truth)
    summary('all', list(net), net, truth)
    summary('TFs with < 50 descendants at depth ≥ 2', [k for k in net if net[k]['n_desc'] < 50], net, truth)
    summary('TFs with ≥ 50 descendants at depth ≥ 2', [k for k in net if net[k]['n_desc'] >= 50], net, truth)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Where a knock-out prediction loses its per-gene correlation: the error split by gene class.

Reads the per-knock-out dumps of `PerturbDiag -Ddump=DIR` (d_SEED_TF.tsv: gene, target, depth, true, naive, one
column per variant) and prints, per variant, medians over the knock-outs of, for each class of genes:
  - genes: how many;
  - unexplained: the class's share of the variance of the true change the prediction leaves unexplained
    (residual of the least-squares line true ~ a + b * predicted, summed over the class, / total variance);
  - fixed: the change of r if the class were predicted perfectly (its predictions replaced by (true - a) / b);
  - flat: the change of r if the class were predicted not to move (its predictions set to their mean);
  - r within: the correlation within the class.
Classes: by the true network (depth 1: the TF's direct targets, depth >= 2: further descendants, unreachable),
by size (affected: |true| > 0.25 sd of true; moved: |pred - mean| > 0.25 sd of pred) and by |true| quantile.
With --net DIR a variant "Wgamma@VARIANT" is VARIANT's prediction times rank^-gamma, rank the TF's place among
the gene's regulators in DIR/net_crowd-q_SEED.tsv (as TargetWeights; 31 when absent).

  python3 bench/perturb_classes.py --net /tmp/p14h/base DUMPDIR G:n:30:off:0 W0.25@G:n:30:off:0 G:t:30:off:0
"""
import argparse
import collections
import glob
import os

import numpy as np

CLASSES = ['direct', 'depth>=2', 'unreachable', 'affected, predicted flat', 'unaffected, predicted to move',
           'affected, moved', '|true| < q50', '|true| q50-q90', '|true| >= q90']


def load(path):
    lines = open(path).read().strip().split('\n')
    hdr = lines[0].split('\t')
    rows = [line.split('\t') for line in lines[1:]]
    return {h: [r[i] for r in rows] for i, h in enumerate(hdr)}


def ranks(net_dir, seed, genes, tf, limit=None):
    """The TF's rank among each gene's network regulators (31 when absent; with limit, only the best limit count,
    as TargetWeights ranks among its 30 candidate regulators)."""
    into = collections.defaultdict(list)
    for line in open(os.path.join(net_dir, f'net_crowd-q_{seed}.tsv')):
        a, b, score = line.rstrip('\n').split('\t')[:3]
        into[b].append((float(score), a))
    out = []
    for g in genes:
        names = [a for _, a in sorted(into[g], key=lambda e: (-e[0], e[1])) if a != g][:limit]
        out.append(names.index(tf) + 1 if tf in names else 31)
    return np.array(out, float)


def parse_blocks(spec):
    """Seed blocks 'NAME:S,S,...;NAME:S,...' as [(name, [seed, ...]), ...]."""
    return [(b.split(':')[0], [int(x) for x in b.split(':')[1].split(',')]) for b in spec.split(';')]


def block_cells(x, naive, seeds, blocks):
    """Per seed block: 'median r, median ratio to naive×' cells of a table row."""
    return ' | '.join(f'{np.median(x[np.isin(seeds, ss)]):.3f}, {np.median((x / naive)[np.isin(seeds, ss)]):.2f}×'
                      for _, ss in blocks)


def naive_cells(naive, seeds, blocks):
    """The naive baseline's cells: per block, then all, as the other rows' columns."""
    return (' | '.join(f'{np.median(naive[np.isin(seeds, ss)]):.3f}, 1.00×' for _, ss in blocks)
            + f' | {np.median(naive):.3f} | 1.00× | | {np.mean(naive):.3f} | |')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--net')
    ap.add_argument('dump')
    ap.add_argument('variants', nargs='+')
    a = ap.parse_args()
    agg = collections.defaultdict(lambda: collections.defaultdict(list))
    for f in sorted(glob.glob(os.path.join(a.dump, 'd_*.tsv'))):
        seed, tf = os.path.basename(f)[2:-4].split('_')
        c = load(f)
        keep = np.array([g != tf for g in c['gene']])
        t = np.array(c['true'], float)[keep]
        dep = np.array(c['depth'], int)[keep]
        rank = ranks(a.net, seed, c['gene'], tf)[keep] if a.net else None
        for v in a.variants + ['naive']:
            if v.startswith('W'):
                gamma, base = v[1:].split('@')
                p = np.array(c[base], float)[keep] * rank ** -float(gamma)
            else:
                p = np.array(c[v], float)[keep]
            r = np.corrcoef(p, t)[0, 1]
            b, a0 = np.polyfit(p, t, 1)
            res = t - (a0 + b * p)
            sst = ((t - t.mean()) ** 2).sum()
            aff = np.abs(t) > 0.25 * t.std()
            mov = np.abs(p - p.mean()) > 0.25 * p.std()
            q = np.quantile(np.abs(t), [0.5, 0.9])
            masks = [dep == 1, dep >= 2, dep < 0, aff & ~mov, ~aff & mov, aff & mov, np.abs(t) < q[0],
                     (np.abs(t) >= q[0]) & (np.abs(t) < q[1]), np.abs(t) >= q[1]]
            agg[v]['r'].append(r)
            for k, m in zip(CLASSES, masks):
                agg[v]['n', k].append(m.sum())
                agg[v]['unexplained', k].append((res[m] ** 2).sum() / sst)
                fixed = p.copy()
                fixed[m] = (t[m] - a0) / b
                agg[v]['fixed', k].append(np.corrcoef(fixed, t)[0, 1] - r)
                flat = p.copy()
                flat[m] = p.mean()
                agg[v]['flat', k].append(np.corrcoef(flat, t)[0, 1] - r)
                agg[v]['within', k].append(np.corrcoef(p[m], t[m])[0, 1] if m.sum() > 3 and p[m].std() > 0
                                           else np.nan)
    for v, s in agg.items():
        print(f"\n{v}: median r {np.median(s['r']):.3f} over {len(s['r'])} knock-outs")
        print('| class | genes | unexplained | fixed | flat | r within |\n|---|---|---|---|---|---|')
        for k in CLASSES:
            print(f"| {k} | {np.median(s['n', k]):.0f} | {np.median(s['unexplained', k]):.3f} | "
                  f"{np.median(s['fixed', k]):+.3f} | {np.median(s['flat', k]):+.3f} | "
                  f"{np.nanmedian(s['within', k]):.3f} |")


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Round 11 (docs/benchmarks.md, "In-silico perturbation: round 11"): what the propagation's later steps contribute
to the default knock-out prediction now that both pooled models keep 1/4 of the between-group co-variation.

Reads `PerturbDiag -Ddump=DIR` dumps holding the `PerturbDecomp` columns X:cfit/0.25 (direct fit, 10 steps),
X:cfit1/0.25, X:cfit2/0.25, X:cfit3/0.25 (1, 2, 3 steps), X:cfit1g/0.25, X:cfit1p/0.25 (one step through the group /
pooled part), X:ctot/0.25, X:ctotg/0.25, X:ctotp/0.25 (total effect and its parts) and X:final:cfit/0.25:ctot/0.25
(the default, D). D is split as round 10's bench/perturb_sources.py splits it:

  D = w_rank * (0.65 * fit + b * tot),   b = 0.35 * sd(fit) / sd(tot)   (the TF left out of the sds)
  fit = fit1g + fit1p + (fit2 - fit1) + (fit3 - fit2) + (fit - fit3),   tot = totg + totp

Per gene class (true network: unreached by the TF, direct targets, reached in 2 or more steps), medians over the
knock-outs of: each source's share of sum_class D^2 (sum D * source / sum D^2), the change of r (all genes) when the
source is removed from every gene, and when it is removed from that class only (an oracle).

  python3 bench/perturb_paths.py DUMPDIR
"""
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perturb_classes import load  # noqa: E402
from perturb_sources import r  # noqa: E402

NAMES = ['step 1, group part (fit1g)', 'step 1, pooled part (fit1p)', 'step 2 (fit2 - fit1)', 'step 3 (fit3 - fit2)',
         'steps 4-10 (fit - fit3)', 'total effect, group part (totg)', 'total effect, pooled part (totp)']
CLASSES = [('unreached', lambda d: d < 0), ('direct targets', lambda d: d == 1), ('reached in 2+ steps',
                                                                                lambda d: d >= 2)]


def main():
    dump = sys.argv[1]
    share = {c: [[] for _ in NAMES] for c, _ in CLASSES}
    dcls = {c: [[] for _ in NAMES] for c, _ in CLASSES}
    dall = [[] for _ in NAMES]
    base, resid, sizes = [], [], {c: [] for c, _ in CLASSES}
    for f in sorted(glob.glob(os.path.join(dump, 'd_*.tsv'))):
        seed, tf = os.path.basename(f)[2:-4].split('_')
        c = load(f)
        keep = np.array([g != tf for g in c['gene']])
        col = {k: np.array(v, float)[keep] for k, v in c.items() if k != 'gene'}
        t, depth = col['true'], col['depth']
        d = col['X:final:cfit/0.25:ctot/0.25']
        fit, tot = col['X:cfit/0.25'], col['X:ctot/0.25']
        b = 0.35 * fit.std() / tot.std() if tot.std() > 0 else 0
        blend = 0.65 * fit + b * tot
        w = np.where(np.abs(blend) > 1e-12, d / np.where(blend == 0, 1, blend), 0)
        f1, f2, f3 = col['X:cfit1/0.25'], col['X:cfit2/0.25'], col['X:cfit3/0.25']
        comps = [0.65 * col['X:cfit1g/0.25'], 0.65 * col['X:cfit1p/0.25'], 0.65 * (f2 - f1), 0.65 * (f3 - f2),
                 0.65 * (fit - f3), b * col['X:ctotg/0.25'], b * col['X:ctotp/0.25']]
        comps = [w * x for x in comps]
        resid.append(np.abs(d - sum(comps)).max())
        r0 = r(d, t)
        base.append(r0)
        for i, x in enumerate(comps):
            dall[i].append(r(d - x, t) - r0)
        for cn, sel in CLASSES:
            m = sel(depth)
            sizes[cn].append(m.sum())
            ss = (d[m] ** 2).sum()
            for i, x in enumerate(comps):
                share[cn][i].append((d[m] * x[m]).sum() / ss if ss > 0 else np.nan)
                y = d.copy()
                y[m] -= x[m]
                dcls[cn][i].append(r(y, t) - r0)
    print(f'{len(base)} knock-outs; default median r {np.median(base):.3f}; max |D - sum of sources| '
          f'{max(resid):.2e}; median genes per class: '
          + ', '.join(f'{c} {np.median(sizes[c]):.0f}' for c, _ in CLASSES))
    print('| source | r if removed everywhere | ' + ' | '.join(f'{c}: share of D^2 | {c}: r if removed there only'
                                                            for c, _ in CLASSES) + ' |')
    print('|---' * (2 + 2 * len(CLASSES)) + '|')
    for i, nm in enumerate(NAMES):
        print(f'| {nm} | {np.median(dall[i]):+.3f} | ' + ' | '.join(
            f'{np.nanmedian(share[c][i]):.3f} | {np.median(dcls[c][i]):+.3f}' for c, _ in CLASSES) + ' |')
    # the later steps together
    later = [2, 3, 4]
    print('(steps 2-10 together, shares summed per knock-out: ' + ', '.join(
        f'{c} {np.nanmedian(np.sum([share[c][i] for i in later], axis=0)):.3f}' for c, _ in CLASSES) + ')')


if __name__ == '__main__':
    main()

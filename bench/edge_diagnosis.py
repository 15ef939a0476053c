#!/usr/bin/env python3
"""Summarise EdgeDiagnosis files (docs/benchmarks.md, "GRN accuracy: round 8, real-data groups (helper a9i)").

Usage: bench/edge_diagnosis.py DIR NAME...   (DIR/NAME.tsv written by io.scgrn.models.nn.EdgeDiagnosis)
Per file: the true and false pairs in regdiff's / crowd's top k only (k = number of true pairs, EPR's cut) with the
median rank of each term, TF detection and target mean; then each term's AUPRC ratio within TF-detection tertiles.
numpy only.
"""
import sys
import numpy as np

TERMS = ['pv', 'pr', 'mi', 'learnedda0', 'corr']


def load(path):
    with open(path) as f:
        header = f.readline().rstrip('\n').split('\t')
    d = np.genfromtxt(path, delimiter='\t', skip_header=1, usecols=range(2, len(header)), dtype=float)
    return {c: d[:, i - 2] for i, c in enumerate(header) if i >= 2}


def top(score, k):
    order = np.argsort(-score, kind='stable')
    m = np.zeros(len(score), bool)
    m[order[:k]] = True
    return m


def auprc_ratio(score, truth):
    t = truth[np.argsort(-score, kind='stable')]
    prec = np.cumsum(t) / np.arange(1, len(t) + 1)
    return (prec[t].sum() / t.sum()) / t.mean() if t.sum() else float('nan')


def describe(d, mask):
    if not mask.any():
        return '0'
    ranks = ' / '.join(f"{np.median(d[c][mask]):.2f}" for c in ['pv', 'pr', 'mi', 'learnedda0'])
    return (f"{mask.sum()}; {ranks}; TF det {np.median(d['tfDet'][mask]):.2f}; target mean "
            f"{np.median(d['tgMean'][mask]):.2f}; TF degree {np.median(d['tfDeg'][mask]):.1f}; "
            f"positive {np.mean(d['sign'][mask] > 0):.2f}")


def main():
    folder = sys.argv[1]
    for name in sys.argv[2:]:
        d = load(f'{folder}/{name}.tsv')
        t = d['true'] == 1
        k = int(t.sum())
        in_d, in_r = top(d['default'], k), top(d['regdiff'], k)
        print(f"== {name}: k = {k}; rank pct pv / pr / mi / learned")
        print('  true, regdiff only :', describe(d, t & in_r & ~in_d))
        print('  true, crowd only   :', describe(d, t & in_d & ~in_r))
        print('  true, both         :', describe(d, t & in_d & in_r))
        print('  false, crowd only  :', describe(d, ~t & in_d & ~in_r))
        print('  false, regdiff only:', describe(d, ~t & in_r & ~in_d))
        q = np.quantile(d['tfDet'], [1 / 3, 2 / 3])
        for lo, hi, label in [(-1, q[0], 'low'), (q[0], q[1], 'mid'), (q[1], 2, 'high')]:
            m = (d['tfDet'] > lo) & (d['tfDet'] <= hi)
            print(f"  TF detection {label:4s} AUPRC ratio " + ' '.join(
                f"{c}={auprc_ratio(d[c][m], t[m]):.2f}" for c in TERMS + ['default', 'regdiff']))


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Seed means and seed-averaged leave-one-group-out for the learned term (docs/benchmarks.md, "GRN accuracy:
round 4, learned term"). Reads a TermBench/LogoBench TSV (set, candidate, epr, auprc_ratio, ...) holding the rows of
the candidates below (TermBench combine names) and prints the per-group table and the LOGO table.

Usage: learned-term-seeds.py /tmp/a9b/r1.tsv
Same formulas as LogoBench: per set (log(EPR / EPR_pearson) + log(AUPRC r / AUPRC r_pearson)) / 2, median per
group, mean over groups; per-seed criteria averaged. Crowd rows are gated as CrowdModel is: on the curated and
synthetic sets (where GnnModel does not train) crowd = its statistical part crowd-b95.
"""
import collections
import math
import statistics as st
import sys

GROUPS = ['beeline-hHEP', 'beeline-mDC', 'beeline-mHSC-GM', 'curated', 'sergio', 'synthetic']
FAMILIES = {
    'statistical part (crowd-b95)': ['crowd-b95'],
    'crowd, plain learned': ['crowd-b95+learned', 'c-gs1', 'c-gs2'],
    'crowd, learned da=0.1': ['c-gda10', 'c-gda10s1', 'c-gda10s2'],
    'crowd, learned da=0.2': ['c-gda20', 'c-gda20s1'],
    'crowd, learned da=0.3': ['c-gda30', 'c-gda30s1', 'c-gda30s2'],
    'learned alone, plain': ['learned', 'gs1', 'gs2'],
    'learned alone, da=0.1': ['gda10', 'gda10s1', 'gda10s2'],
    'learned alone, da=0.2': ['gda20', 'gda20s1'],
    'learned alone, da=0.3': ['gda30', 'gda30s1', 'gda30s2'],
}
LOGO_POOL = ['statistical part (crowd-b95)', 'crowd, plain learned', 'crowd, learned da=0.1']


def group(s):
    return next(g for g in GROUPS if s.startswith(g))


def main(tsv):
    d = collections.defaultdict(dict)
    for line in open(tsv).read().splitlines()[1:]:
        f = line.split('\t')
        d[f[0]][f[1]] = (float(f[2]), float(f[3]))
    for s in d:
        if s.startswith('curated') or s.startswith('synthetic'):
            for c in list(d[s]):
                if c.startswith('c-') or c == 'crowd-b95+learned':
                    d[s][c] = d[s]['crowd-b95']

    def lr(c, s):
        e, a = d[s][c]
        pe, pa = d[s]['pearson']
        return (math.log(e / pe) + math.log(a / pa)) / 2

    def gcrit(c, g):
        return st.median([lr(c, s) for s in d if group(s) == g])

    def gmed(cs, g, k):
        return st.mean(st.median([d[s][c][k] for s in d if group(s) == g]) for c in cs)

    def below(c):
        return sum(1 for s in d if d[s][c][0] < d[s]['pearson'][0] - 1e-9)

    print('| candidate (seeds) | ' + ' | '.join(GROUPS) + ' | criterion: mean (per seed) | below pearson per seed |')
    print('|---' * (len(GROUPS) + 3) + '|')
    for name, cs in FAMILIES.items():
        crit = [st.mean(gcrit(c, g) for g in GROUPS) for c in cs]
        cells = [f'{gmed(cs, g, 0):.2f} / {gmed(cs, g, 1):.2f}' for g in GROUPS]
        print(f'| {name} ({len(cs)}) | ' + ' | '.join(cells) + f' | {st.mean(crit):.3f} ('
              + ', '.join(f'{x:.3f}' for x in crit) + ') | ' + ', '.join(str(below(c)) for c in cs) + ' |')
    print('\n| held-out group | selected (criterion on the other groups) | held-out | crowd, plain learned |')
    print('|---|---|---|---|')
    for h in GROUPS:
        sc = {k: st.mean(st.mean(gcrit(c, g) for g in GROUPS if g != h) for c in FAMILIES[k]) for k in LOGO_POOL}
        best = max(LOGO_POOL, key=sc.get)
        cell = lambda k: f'{gmed(FAMILIES[k], h, 0):.2f} / {gmed(FAMILIES[k], h, 1):.2f}'
        print(f'| {h} | {best} ({sc[best]:.3f}) | {cell(best)} | {cell("crowd, plain learned")} |')


if __name__ == '__main__':
    main(sys.argv[1])

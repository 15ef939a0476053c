#!/usr/bin/env python3
"""LOGO over a family GT<t> whose threshold t is chosen inside each fold (ties -> median of the tied t), rule 1 of
issue 9's adoption rule. Input: a TermBench combine TSV with rows pearson, default and GT<t>. docs/benchmarks.md,
"GRN accuracy: round 7, within-state term", lead's check."""
import sys, math, re, statistics as st
from collections import defaultdict
tsv = sys.argv[1]
rows = defaultdict(dict)
for l in open(tsv).read().splitlines()[1:]:
    f = l.split('\t'); rows[f[0]][f[1]] = (float(f[2]), float(f[3]))
def group(s):
    if s.startswith('beeline-'):
        return 'beeline-' + re.sub(r'-(NonSpecific|STRING|Specific)-\d+$', '', s[len('beeline-'):])
    return s.split('-')[0]
G = ['beeline-hHEP','beeline-mDC','beeline-mHSC-GM','curated','sergio','synthetic']
def crit(c, g):
    v = []
    for s, m in rows.items():
        if group(s) != g: continue
        p = m['pearson']; x = m[c]
        v.append((math.log(x[0] / p[0]) + math.log(x[1] / p[1])) / 2)
    return st.median(v)
ts = [c for c in next(iter(rows.values())) if c.startswith('GT')]
ge = 0; worst = 0; tot = 0
for h in G:
    tr = lambda c: sum(crit(c, g) for g in G if g != h) / 5
    best_t = max(tr(c) for c in ts)
    tied = [c for c in ts if abs(tr(c) - best_t) < 1e-9]
    pick = tied[(len(tied) - 1) // 2]
    # pool {default} ∪ GTt: default wins if strictly better on training
    sel = pick if tr(pick) > tr('default') + 1e-12 else 'default'
    d = crit(sel, h) - crit('default', h)
    ge += d >= -1e-12; worst = min(worst, d); tot += d
    print(f"{h}\ttied={[c[2:] for c in tied]}\tsel={sel}\ttrain {tr(sel):.4f}\theld-out {crit(sel,h):.4f} vs default {crit('default',h):.4f}\tdiff {d:+.4f}")
print(f"rule1: >= default on {ge}/6, worst {worst:+.4f}, sum {tot:+.4f} -> {'PASS' if ge >= 5 and worst >= -0.02 and tot > 0 else 'FAIL'}")
for c in ['default'] + ts:
    print(c, ' '.join(f"{crit(c,g):.4f}" for g in G), f"mean {sum(crit(c,g) for g in G)/6:.4f}")

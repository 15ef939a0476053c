#!/usr/bin/env python3
"""Per-simulation table and bars from MotifScanAccuracy -Dconfigs=... outputs (docs: "multiome: round 17").

usage: rna_smooth_table.py OUT_FILE... [--base off] [--cfg NAME ...]
Columns: RNA-only (= the harness's "RNA-only + decoys", the unsmoothed default RNA network), then each config's
table / genome / no-motif EPR where run, with no motif ÷ RNA-only and table/genome ÷ naive(table).
"""
import re
import statistics as st
import sys

files = [a for a in sys.argv[1:] if not a.startswith('--')]
rows, share = [], {}
for f in files:
    head = None
    for line in open(f):
        m = re.match(r'rbstats seed (\d+):.*chromatin share ([\d.]+)', line)
        if m:
            share[int(m.group(1))] = float(m.group(2))
        if line.startswith('| types |'):
            head = [c.strip() for c in line.strip().strip('|').split('|')]
        elif head and re.match(r'\| \d', line):
            v = [c.strip() for c in line.strip().strip('|').split('|')]
            d = dict(zip(head, v))
            old = next((r for r in rows if r['seed'] == d['seed']), None)
            if old is None:
                rows.append(d)
            else:  # the same simulation in another run (other configurations): merged
                old.update({k: x for k, x in d.items() if x != 'NaN' or k not in old})
cfgs = []
for r in rows:
    for k in r:
        if k.endswith(' no motif'):
            c = k[:-len(' no motif')]
            if c not in cfgs:
                cfgs.append(c)


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return float('nan')


rows.sort(key=lambda r: int(r['seed']))
hdr = ['seed', 'types', 'gated', 'conf.', 'chromatin share', 'RNA-only', 'naive(table)']
for c in cfgs:
    hdr += [c + ' no motif', c + ' ÷ RNA']
extra = [c for c in cfgs if any(num(r.get(c + ' table')) == num(r.get(c + ' table')) for r in rows)]
for c in extra:
    hdr += [c + ' table', c + ' genome', c + ' table ÷ naive', c + ' genome ÷ naive']
print('| ' + ' | '.join(hdr) + ' |')
print('|' + '---|' * len(hdr))
for r in rows:
    rna = num(r['RNA-only + decoys'])
    nv = num(r['naive(table)'])
    out = [r['seed'], r['types'], r['gated'], r['conf.'], '%.3f' % share.get(int(r['seed']), float('nan')),
           '%.2f' % rna, '%.2f' % nv]
    for c in cfgs:
        n = num(r.get(c + ' no motif'))
        out += ['%.2f' % n, '%.2f' % (n / rna)]
    for c in extra:
        t, g = num(r.get(c + ' table')), num(r.get(c + ' genome'))
        out += ['%.2f' % t, '%.2f' % g, '%.2f' % (t / nv), '%.2f' % (g / nv)]
    print('| ' + ' | '.join(out) + ' |')
print()


def bar(nums, dens, level):
    pairs = [(a, b) for a, b in zip(nums, dens) if a == a and b == b]
    if not pairs:
        return ''
    nums, dens = [a for a, _ in pairs], [b for _, b in pairs]
    p = [a / b for a, b in zip(nums, dens)]
    return '%.3f× (%.3f×; %.2f–%.2f; %d of %d ≥ %s)' % (st.median(nums) / st.median(dens), st.median(p), min(p),
                                                       max(p), sum(x >= level - 1e-12 for x in p), len(p), level)


rna = [num(r['RNA-only + decoys']) for r in rows]
nv = [num(r['naive(table)']) for r in rows]
print('| config | median no motif | no motif ÷ RNA-only ≥ 1.2 | table ÷ naive ≥ 1.3 | genome ÷ naive ≥ 1.1 |')
print('|---|---|---|---|---|')
print('| RNA-only | %.3f | | | |' % st.median(rna))
for c in cfgs:
    n = [num(r.get(c + ' no motif')) for r in rows]
    t = [num(r.get(c + ' table')) for r in rows]
    g = [num(r.get(c + ' genome')) for r in rows]
    tb = bar(t, nv, 1.3) if c in extra else ''
    gb = bar(g, nv, 1.1) if c in extra else ''
    print('| %s | %.3f | %s | %s | %s |' % (c, st.median([x for x in n if x == x]), bar(n, rna, 1.2), tb, gb))

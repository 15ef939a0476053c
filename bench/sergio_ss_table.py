#!/usr/bin/python3
"""Per-set criterion ((log EPR ratio + log AUPRC ratio to pearson) / 2) of bench/sergio_ss.sh runs.
Usage: sergio_ss_table.py PEARSON.tsv LABEL=RUN.tsv ...   (round 15, helper s15)"""
import math, statistics as st, sys
def load(f):
    return {l.split('\t')[0]: tuple(map(float, l.split('\t')[1:3])) for l in open(f) if l.strip()}
P = load(sys.argv[1])
runs = [(a.split('=', 1)[0], load(a.split('=', 1)[1])) for a in sys.argv[2:]]
design = ['ss01', 'ss03', 'ss05', 'ss07', 'ss09']
check = ['ss02', 'ss04', 'ss06', 'ss08', 'ss10']
sets = sorted(P)
print('set\tpearson\t' + '\t'.join(l for l, _ in runs))
for s in sets:
    row = ['%.2f / %.2f' % P[s]]
    for _, d in runs:
        if s in d:
            c = (math.log(d[s][0] / P[s][0]) + math.log(d[s][1] / P[s][1])) / 2
            row.append('%.2f / %.2f (%+.3f)' % (d[s][0], d[s][1], c))
        else:
            row.append('-')
    print(s + '\t' + '\t'.join(row))
for name, grp in [('design', design), ('check', check), ('all ten', design + check), ('ds1net', [s for s in sets if s.startswith('ds1')])]:
    row = []
    for _, d in runs:
        c = [(math.log(d[s][0] / P[s][0]) + math.log(d[s][1] / P[s][1])) / 2 for s in grp if s in d]
        row.append('median %+.3f, below %d/%d' % (st.median(c), sum(x < 0 for x in c), len(c)) if c else '-')
    print(name + '\t\t' + '\t'.join(row))

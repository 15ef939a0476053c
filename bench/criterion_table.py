#!/usr/bin/env python3
"""Per-group criterion against `pearson` and the sets below it, from scgrn runs' EPR / AUPRC ratio tables.

Sessions 13-14 (lead), docs/benchmarks.md "GRN accuracy: canonical order of cells and genes". Usage:
    bench/criterion_table.py PEARSON.tsv LABEL=FILE:SETCOL,EPRCOL,AUPRCCOL[,COL~VALUE...] ...
PEARSON.tsv: set, EPR, AUPRC ratio (tab-separated; e.g. MODEL=pearson bench/canonical_order.sh accuracy OUT SCGRN,
columns 1,3,4 of its output). Each FILE is a tab-separated table; columns are 0-based, COL~VALUE keeps only rows whose
column COL equals VALUE. Criterion per set: (log EPR ratio + log AUPRC-ratio ratio to pearson) / 2; per group the
median over its sets; "below pearson" = criterion < 0.
"""
import sys, math, statistics as st, collections
P={l.split('\t')[0]:tuple(map(float,l.split('\t')[1:3])) for l in open(sys.argv[1]) if l.strip()}
def grp(s):
    for g in ['hHEP','mDC','mHSC-GM','curated','sergio','synthetic']:
        if g in s: return g
runs=collections.OrderedDict()
for a in sys.argv[2:]:
    lab,spec=a.split('=',1)
    f,cols=spec.split(':')  # cols like 0,2,3 = set,epr,auprc ; optional filter col=val
    parts=cols.split(',')
    ci=list(map(int,parts[:3])); flt=[p.split('~') for p in parts[3:]]
    d={}
    for l in open(f):
        x=l.rstrip('\n').split('\t')
        if any(x[int(k)]!=v for k,v in flt): continue
        d[x[ci[0]]]=(float(x[ci[1]]),float(x[ci[2]]))
    runs[lab]=d
groups=['hHEP','mDC','mHSC-GM','curated','sergio','synthetic']
print('run\t'+'\t'.join(groups)+'\tmean\tbelow pearson')
for lab,d in runs.items():
    c={s:(math.log(e/P[s][0])+math.log(a/P[s][1]))/2 for s,(e,a) in d.items()}
    gm={g:st.median([v for s,v in c.items() if grp(s)==g]) for g in groups}
    below=[s for s,v in c.items() if v<0]
    print(lab+'\t'+'\t'.join('%.3f'%gm[g] for g in groups)+'\t%.3f\t%d %s'%(st.mean(gm.values()),len(below),','.join(b.replace('beeline-','').replace('-500','') for b in below)))
    # group medians of EPR and AUPRC
    print(lab+' EPR/AUPRC medians\t'+'\t'.join('%.3f/%.3f'%(st.median([e for s,(e,a) in d.items() if grp(s)==g]),st.median([a for s,(e,a) in d.items() if grp(s)==g])) for g in groups))

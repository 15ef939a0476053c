#!/usr/bin/env python3
"""Per group: the runs' median EPR / AUPRC ratio divided by the best published peer's median on the same sets.

Sessions 13-14 (lead), docs/benchmarks.md "GRN accuracy: canonical order of cells and genes". Peers: every tool of
/work/shared/benchmarks/README.md's tables except pearson; per group, each peer's median over the group's sets it was
run on, against the runs' median over the same sets; the best peer is the one with the highest EPR median.
Usage: bench/peer_ratio.py LABEL=FILE:SETCOL,EPRCOL,AUPRCCOL[,COL~VALUE...] ...   (README=path to override)
"""
import sys, statistics as st
import os
readme=os.environ.get("README", "/work/shared/benchmarks/README.md")
pub={}; tools=None
for line in open(readme):
    t=line.strip()
    if not t.startswith('|'): tools=None; continue
    cells=[c.strip() for c in t.strip('|').split('|')]
    if cells[0]=='dataset': tools=[c.split(' ')[0].lower() for c in cells[1:]]; continue
    if tools is None or cells[0].startswith('---'): continue
    for tool,c in zip(tools,cells[1:]):
        p=c.split('/')
        try: pub.setdefault(cells[0],{})[tool]=(float(p[0]),float(p[1]))
        except: pass
def grp(s):
    for g in ['hHEP','mDC','mHSC-GM','curated','sergio','synthetic']:
        if g in s: return g
def load(f,cols,flt):
    d={}
    for l in open(f):
        x=l.rstrip('\n').split('\t')
        if any(x[k]!=v for k,v in flt): continue
        d[x[cols[0]]]=(float(x[cols[1]]),float(x[cols[2]]))
    return d
groups=['hHEP','mDC','mHSC-GM','curated','sergio','synthetic']
print('run\t'+'\t'.join(groups))
for a in sys.argv[1:]:
    lab,spec=a.split('=',1); f,c=spec.split(':'); parts=c.split(',')
    d=load(f,list(map(int,parts[:3])),[(int(p.split('~')[0]),p.split('~')[1]) for p in parts[3:]])
    row=[]
    for g in groups:
        sets=[s for s in d if grp(s)==g]
        best=None
        for tool in {t for s in sets for t in pub.get(s,{}) if t!='pearson'}:
            ss=[s for s in sets if tool in pub.get(s,{})]
            if not ss: continue
            r=[st.median([d[s][i] for s in ss])/st.median([pub[s][tool][i] for s in ss]) for i in (0,1)]
            if best is None or r[0]<best[0][0]: best=(r,tool)   # the peer with the highest EPR median
        row.append('%.2f / %.2f (%s)'%(best[0][0],best[0][1],best[1]) if best else '-')
    print(lab+'\t'+'\t'.join(row))

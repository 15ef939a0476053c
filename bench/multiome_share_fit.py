#!/usr/bin/env python3
"""Round 10 (docs/benchmarks.md, "multiome: round 10"): fit state-share-from=chromatin's constants on the tuning grid.

Usage: bench/multiome_share_fit.py GRID_OUTPUT...   (MotifScanAccuracy outputs of the grid run, configs g0..g6 =
state share 0, 0.1, ..., 0.6). The chromatin statistics per tuning simulation are round 9's NoMotifDiagnosis values.
EPR at any share by linear interpolation between the grid's points; leave-some-out over five folds of four.
"""
import re, statistics as st, sys
order=[85,83,43,86,88,82,47,81,44,45,1,46,42,89,90,41,2,48,84,87]
gain=[0.053,0.062,0.061,0.107,0.126,0.068,0.041,0.031,0.042,0.026,0.048,0.011,0.008,0.023,0.075,0.046,0.016,0.070,0.013,0.005]
tail=[0.97,1.09,0.90,0.61,0.82,0.94,0.83,0.18,0.28,0.09,0.17,0.14,0.05,0.53,0.78,0.20,0.01,0.51,0.00,0.04]
T=dict(zip(order,tail)); G=dict(zip(order,gain))
rows={}
for f in sys.argv[1:]:
    for l in open(f):
        if re.match(r'^\| \d',l):
            x=[c.strip() for c in l.strip().strip('|').split('|')]
            seed=int(x[3]); v=[float(c) for c in x[4:]]
            nm=[v[5+3*i] for i in range(7)]
            rows[seed]=dict(grid=nm,rna=v[-1])
seeds=[s for s in [1,2]+list(range(41,49))+list(range(81,91)) if s in rows]
print(len(seeds),'sims', file=sys.stderr)
shares=[0,0.1,0.2,0.3,0.4,0.5,0.6]
def epr(s,sh):
    g=rows[s]['grid']
    i=min(int(sh/0.1),5); f=(sh-shares[i])/0.1
    return g[i]*(1-f)+g[i+1]*f
def share(t,g,tau,gam): 
    x=1-t/tau-(g/gam if gam>0 else 0); return 0.6*min(1,max(0,x))
def score(ss,tau,gam):
    r=[epr(s,share(T[s],G[s],tau,gam))/rows[s]['grid'][3] for s in ss]
    return st.median(r), sum(x>=1-1e-9 for x in r)
taus=[0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0,1.1,1.2,1.4]
gams=[0,0.05,0.1,0.15,0.2,0.3,0.4]
fams={'A':[(t,0) for t in taus],'B':[(t,g) for t in taus for g in gams if g>0]}
def best(ss,fam):
    return max(fams[fam], key=lambda c:(score(ss,*c)[0],score(ss,*c)[1],c[0]))
full=[1,2]+list(range(41,49))+list(range(81,91))
folds=[full[k::5] for k in range(5)]
if len(seeds)==20:
  for fam in 'AB':
    oof=[]; picks=[]
    for k in range(5):
        tr=[s for s in full if s not in folds[k]]
        c=best(tr,fam); picks.append(c)
        oof+= [epr(s,share(T[s],G[s],*c))/rows[s]['grid'][3] for s in folds[k]]
    c=best(full,fam)
    print(fam,'fold picks',picks,'out-of-fold median',round(st.median(oof),4),'>=1 on',sum(x>=1-1e-9 for x in oof),'| full fit',c,score(full,*c))
# grid table
print('seed tail gain | '+' '.join(str(s) for s in shares)+' | rna | oracle')
for s in seeds:
    g=rows[s]['grid']; print(s,T[s],G[s],'|',' '.join('%.2f'%x for x in g),'|',rows[s]['rna'],'| %.3f'%(max(g)/g[3]))
if len(seeds)==20:
    print('oracle median ratio over shipped', st.median(max(rows[s]['grid'])/rows[s]['grid'][3] for s in full))
    for tau in taus: print('tau',tau,score(full,tau,0))

#!/usr/bin/python3
"""Per-group criterion, sets below pearson and leave-one-group-out over `scgrn bench` outputs of crowd -p w-learned=W
(bench/learned_weight_grid.sh). Usage: learned_weight_table.py SEED W1 W2 ... (the first W is the default);
learned_weight_table.py --tsv OUT SEED W1 W2 ...: the same outputs as a LogoBench scores TSV (pearson, crowd-wW)."""
import sys, math, re, statistics as st
from criterion_groups import G, grp, load  # one parser of `scgrn bench` tables
if sys.argv[1]=='--tsv':
    out=open(sys.argv[2],'w'); out.write('set\tcandidate\tepr\tauprc_ratio\tauroc\tseconds\n')
    for name,f in [('pearson',f'/tmp/l17/g-pearson-s{sys.argv[3]}.txt')]+[(f'crowd-w{w}',f'/tmp/l17/g-w{w}-s{sys.argv[3]}.txt') for w in sys.argv[4:]]:
        for line in open(f):
            m=re.match(r'\| (\S+) \| (\S+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+)',line)
            if m: out.write('\t'.join([m.group(1),name]+[m.group(i) for i in range(3,7)])+'\n')
    sys.exit()
seed=sys.argv[1]; cands=sys.argv[2:]
P=load(f'/tmp/l17/g-pearson-s{seed}.txt')
C={c:load(f'/tmp/l17/g-w{c}-s{seed}.txt') for c in cands}
crit={c:{s:(math.log(v[0]/P[s][0])+math.log(v[1]/P[s][1]))/2 for s,v in C[c].items()} for c in cands}
med={c:{g:st.median([x for s,x in crit[c].items() if grp(s)==g]) for g in G} for c in cands}
print('cand | '+' | '.join(g.replace('beeline-','') for g in G)+' | mean | below')
for c in cands:
    print(c,'|',' | '.join(f'{med[c][g]:+.3f}' for g in G),'|',f'{st.mean(med[c].values()):+.3f}','|',sum(1 for x in crit[c].values() if x<0), [s for s,x in crit[c].items() if x<0])
# LOGO
tot=0
for h in G:
    best=max(cands,key=lambda c: st.mean(med[c][g] for g in G if g!=h))
    d=med[best][h]-med['1'][h]; tot+=d
    print(f'held out {h}: pick w={best}, held-out {med[best][h]:+.3f} vs default {med["1"][h]:+.3f} ({d:+.3f})')
print('sum held-out change',f'{tot:+.3f}')
for s in sorted(crit['1']):
    print(s, ' '.join(f'{c}:{C[c][s][0]:.3f}/{C[c][s][1]:.3f}({crit[c][s]:+.3f})' for c in cands))

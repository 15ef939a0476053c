#!/usr/bin/python3
"""Session 18 (helper g18): per-group criterion, sets below pearson, leave-one-group-out and the registered clauses
over `scgrn bench` outputs of bench/crowd_weight_grid.sh (/tmp/g18/g-NAME-sSEED.txt); generalises session 17's
bench/learned_weight_table.py from w-learned=W to named candidates. docs/benchmarks.md "crowd's other weights with
the learned term at 2 (helper g18)".
Usage: crowd_weight_table.py SEED def NAME ...        (the first name is the default; SEED 0+1: criterion averaged)
       crowd_weight_table.py --tsv OUT SEED def NAME ...   the same outputs as a LogoBench scores TSV (pearson, crowd-NAME)
       crowd_weight_table.py --sims def NAME ...       the same table over /tmp/g18/sim-NAME.txt (one group per set)"""
import sys, math, re, statistics as st
import os
D = os.environ.get('G18_DIR', '/tmp/g18')
def load(p):
    d = {}
    for line in open(p):
        m = re.match(r'\| (\S+) \| (\S+) \| ([\d.]+) \| ([\d.]+) \|', line)
        if m: d[m.group(1)] = (float(m.group(3)), float(m.group(4)))
    return d
G = ["beeline-hHEP", "beeline-mDC", "beeline-mHSC-GM", "curated", "sergio", "synthetic"]
def grp(s):
    for g in G:
        if s.startswith(g): return g
def crit(v, p):
    return (math.log(v[0] / p[0]) + math.log(v[1] / p[1])) / 2 if v[0] > 0 and p[0] > 0 else float('nan')
if sys.argv[1] == '--tsv':
    out = open(sys.argv[2], 'w'); out.write('set\tcandidate\tepr\tauprc_ratio\tauroc\tseconds\n'); seed = sys.argv[3]
    for name in ['pearson'] + sys.argv[4:]:
        label = 'pearson' if name == 'pearson' else ('crowd' if name == 'def' else 'crowd-' + name)
        for line in open(f'{D}/g-{name}-s{seed}.txt'):
            m = re.match(r'\| (\S+) \| (\S+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+)', line)
            if m: out.write('\t'.join([m.group(1), label] + [m.group(i) for i in range(3, 7)]) + '\n')
    sys.exit()
if sys.argv[1] == '--sims':
    cands = sys.argv[2:]; P = load(f'{D}/sim-pearson.txt')
    C = {c: load(f'{D}/sim-{c}.txt') for c in cands}
    for c in cands:
        cr = {s: crit(v, P[s]) for s, v in C[c].items()}
        print(f'{c}: n={len(cr)} mean criterion {st.mean(cr.values()):+.4f}, below pearson {sum(1 for x in cr.values() if x < 0)}',
              [s for s, x in cr.items() if x < 0])
    for s in sorted(P):
        print(s, f'pearson {P[s][0]:.3f}/{P[s][1]:.3f}', ' '.join(f'{c}:{C[c][s][0]:.3f}/{C[c][s][1]:.3f}({crit(C[c][s], P[s]):+.3f})' for c in cands))
    sys.exit()
seed = sys.argv[1]; cands = sys.argv[2:]; d0 = cands[0]
seeds = seed.split('+')  # SEED may be e.g. 0+1: the per-set criterion averaged over those seeds (EPR/AUPRC shown: the first)
P = load(f'{D}/g-pearson-s{seeds[0]}.txt')
C = {c: load(f'{D}/g-{c}-s{seeds[0]}.txt') for c in cands}
cr = {c: {s: st.mean(crit(load(f'{D}/g-{c}-s{k}.txt')[s], load(f'{D}/g-pearson-s{k}.txt')[s]) for k in seeds)
          for s in C[c]} for c in cands}
med = {c: {g: st.median([x for s, x in cr[c].items() if grp(s) == g]) for g in G} for c in cands}
mean = {c: st.mean(med[c].values()) for c in cands}
below = {c: [s for s, x in cr[c].items() if x < 0] for c in cands}
print('| seed | candidate | ' + ' | '.join(g.replace('beeline-', '') for g in G) + ' | mean | sets below `pearson` |')
print('|---' * (len(G) + 4) + '|')
for c in cands:
    print(f'| {seed} | {c} | ' + ' | '.join(f'{med[c][g]:+.3f}' for g in G) + f' | {mean[c]:+.3f} | {len(below[c])} ({", ".join(below[c])}) |')
tot = 0; picks = []
for h in G:
    best = max(cands, key=lambda c: (st.mean(med[c][g] for g in G if g != h), c == d0))
    d = med[best][h] - med[d0][h]; tot += d; picks.append(best)
    print(f'held out {h}: pick {best} ({st.mean(med[best][g] for g in G if g != h):+.4f} on the other five), held-out {med[best][h]:+.3f} vs {d0} {med[d0][h]:+.3f} ({d:+.3f})')
nd = [p for p in picks if p != d0]
print(f'LOGO: non-default in {len(nd)} of 6 folds, summed held-out change {tot:+.3f}')
if nd:
    ch = max(set(nd), key=lambda c: (nd.count(c), mean[c]))
    ge = sum(1 for g in G if med[ch][g] >= med[d0][g])
    print(f'chosen C = {ch}; clause 1 {"pass" if len(nd) >= 4 and tot > 0 else "FAIL"}; clause 2: group median >= {d0} in {ge} of 6 -> {"pass" if ge >= 5 else "FAIL"}; '
          f'clause 3 (this seed): below {len(below[ch])} vs {len(below[d0])} -> {"pass" if len(below[ch]) <= len(below[d0]) else "FAIL"}; mean {mean[ch]:+.4f} vs {mean[d0]:+.4f}')
else:
    print('no non-default picked: nothing chosen')
for s in sorted(cr[d0]):
    print(s, f'pearson {P[s][0]:.3f}/{P[s][1]:.3f}', ' '.join(f'{c}:{C[c][s][0]:.3f}/{C[c][s][1]:.3f}({cr[c][s]:+.3f})' for c in cands))

#!/usr/bin/python3
"""Per-group median criterion against pearson, sets below pearson, for `scgrn bench` outputs named
DIR/g-CAND-sSEED.txt (pearson in DIR/g-pearson-sSEED.txt), as written by bench/da_draw_grid.sh.
Usage: criterion_groups.py DIR SEED CAND1 CAND2 ... ; per-set criterion = (ln EPR ratio + ln AUPRC-ratio ratio)/2."""
import sys, math, re, statistics as st
G = ["beeline-hHEP", "beeline-mDC", "beeline-mHSC-GM", "curated", "sergio", "synthetic"]
def load(p):
    d = {}
    for line in open(p):
        m = re.match(r'\| (\S+) \| (\S+) \| ([\d.]+) \| ([\d.]+) \|', line)
        if m: d[m.group(1)] = (float(m.group(3)), float(m.group(4)))
    return d
def grp(s):
    return next(g for g in G if s.startswith(g))
if __name__ == '__main__':
    d, seed, cands = sys.argv[1], sys.argv[2], sys.argv[3:]
    P = load(f'{d}/g-pearson-s{seed}.txt')
    print('cand | ' + ' | '.join(g.replace('beeline-', '') for g in G) + ' | mean | below pearson')
    for c in cands:
        C = load(f'{d}/g-{c}-s{seed}.txt')
        crit = {s: (math.log(v[0] / P[s][0]) + math.log(v[1] / P[s][1])) / 2 for s, v in C.items()}
        med = {g: st.median([x for s, x in crit.items() if grp(s) == g]) for g in G}
        below = [s for s, x in crit.items() if x < 0]
        print(c, '|', ' | '.join(f'{med[g]:+.3f}' for g in G), '|', f'{st.mean(med.values()):+.3f}', '|', len(below), below)

#!/usr/bin/python3
"""Round 16 (helper e16): per-set and per-group criteria vs `pearson`, the LOGO clause and the check-half clause for
the default vs a candidate (docs/benchmarks.md "round 16").
Usage: eiv_table.py DEFAULT.txt CAND.txt [SSDIR [DEF CAND]]     DEFAULT.txt / CAND.txt: `scgrn bench` stdout (DEFAULT.txt holds
       the pearson and crowd rows, CAND.txt the candidate's crowd rows); SSDIR holds ss-pearson.tsv, ss-default.tsv,
       ss-exclude.tsv from `bench/sergio_ss.sh run` (set, EPR, AUPRC ratio, md5);
       DEF / CAND: other file stems than default / exclude (e.g. pcor pcorx)."""
import math, sys, statistics as st

GROUPS = ['beeline-hHEP', 'beeline-mDC', 'beeline-mHSC-GM', 'curated', 'sergio', 'synthetic']


def bench(path):
    rows = {}
    for line in open(path):
        f = [x.strip() for x in line.split('|')]
        if len(f) > 8 and f[1] and not f[1].startswith('dataset') and not f[1].startswith('---') and f[2] in (
                'pearson', 'crowd'):
            try:
                rows[(f[1], f[2])] = (float(f[3]), float(f[4]), float(f[7]))
            except ValueError:
                pass
    return rows


def crit(x, p):
    return (math.log(x[0] / p[0]) + math.log(x[1] / p[1])) / 2


def group(s):
    for g in GROUPS:
        if s.startswith(g + '-'):
            return g


def main():
    d = bench(sys.argv[1])
    c = bench(sys.argv[2])
    sets = sorted({s for s, m in d if m == 'pearson'})
    print('| set | pearson | default | candidate (condition=exclude) | change |')
    print('|---|---|---|---|---|')
    cd, cc = {}, {}
    for s in sets:
        p, a, b = d[(s, 'pearson')], d[(s, 'crowd')], c[(s, 'crowd')]
        cd[s], cc[s] = crit(a, p), crit(b, p)
        print('| %s | %.3f / %.3f | %.3f / %.3f (%+.3f) | %.3f / %.3f (%+.3f) | %+.3f |' % (
            s, p[0], p[1], a[0], a[1], cd[s], b[0], b[1], cc[s], cc[s] - cd[s]))
    print('\nsets below pearson: default %d (%s), candidate %d (%s)' % (
        sum(v < 0 for v in cd.values()), ', '.join(s for s in sets if cd[s] < 0),
        sum(v < 0 for v in cc.values()), ', '.join(s for s in sets if cc[s] < 0)))
    gd = {g: st.median([cd[s] for s in sets if group(s) == g]) for g in GROUPS}
    gc = {g: st.median([cc[s] for s in sets if group(s) == g]) for g in GROUPS}
    print('\n| held-out group | default | candidate | change | LOGO selects (mean over the other five: default / '
          'candidate) | held-out change of the selection |')
    print('|---|---|---|---|---|---|')
    up, tot = 0, 0.0
    for g in GROUPS:
        md = st.mean([gd[h] for h in GROUPS if h != g])
        mc = st.mean([gc[h] for h in GROUPS if h != g])
        sel = 'candidate' if mc > md else 'default'
        ch = gc[g] - gd[g] if sel == 'candidate' else 0.0
        up += gc[g] >= gd[g]
        tot += ch
        print('| %s | %+.3f | %+.3f | %+.3f | %s (%+.3f / %+.3f) | %+.3f |' % (g, gd[g], gc[g], gc[g] - gd[g], sel, md,
                                                                             mc, ch))
    print('\nclause 1: candidate >= default in %d of 6 folds; summed held-out change %+.3f; summed group change %+.3f'
          % (up, tot, sum(gc[g] - gd[g] for g in GROUPS)))
    cpu = [(s, d[(s, 'crowd')][2], c[(s, 'crowd')][2]) for s in sets if 'hHEP-STRING' in s]
    for s, a, b in cpu:
        print('clause 4: %s CPU-s default %.1f, candidate %.1f (%.2fx)' % (s, a, b, b / a))
    if len(sys.argv) > 3:
        ss = {}
        stems = {'pearson': 'pearson', 'default': sys.argv[4] if len(sys.argv) > 5 else 'default',
                 'exclude': sys.argv[5] if len(sys.argv) > 5 else 'exclude'}
        for n, stem in stems.items():
            ss[n] = {}
            for line in open(sys.argv[3] + '/ss-%s.tsv' % stem):
                f = line.split('\t')
                ss[n][f[0]] = (float(f[1]), float(f[2]))
        print('\n| SERGIO ss set | pearson | default | candidate | change |')
        print('|---|---|---|---|---|')
        res = {}
        for s in sorted(ss['pearson']):
            p = ss['pearson'][s]
            a, b = ss['default'].get(s), ss['exclude'].get(s)
            if a is None or b is None:
                continue
            res[s] = (crit(a, p), crit(b, p))
            print('| %s | %.2f / %.2f | %.2f / %.2f (%+.3f) | %.2f / %.2f (%+.3f) | %+.3f |' % (
                s, p[0], p[1], a[0], a[1], res[s][0], b[0], b[1], res[s][1], res[s][1] - res[s][0]))
        halves = {'design (odd)': ['ss01', 'ss03', 'ss05', 'ss07', 'ss09'],
                  'check (even)': ['ss02', 'ss04', 'ss06', 'ss08', 'ss10'], 'ds1net': ['ds1net-0', 'ds1net-1',
                                                                                        'ds1net-2']}
        for h, ls in halves.items():
            ls = [s for s in ls if s in res]
            if ls:
                a = [res[s][0] for s in ls]
                b = [res[s][1] for s in ls]
                print('| %s | - | median %+.3f, below %d/%d | median %+.3f, below %d/%d | %+.3f |' % (
                    h, st.median(a), sum(x < 0 for x in a), len(a), st.median(b), sum(x < 0 for x in b), len(b),
                    st.median(b) - st.median(a)))


if __name__ == '__main__':
    main()

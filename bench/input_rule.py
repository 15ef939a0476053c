#!/usr/bin/python3
"""Round 14 (helper n13): tables and the registered rule for crowd's rank-based input.

docs/benchmarks.md "GRN accuracy: round 14, rank-based input under technical noise (helper n13)".
Usage: input_rule.py CLEAN_DIR NOISE_DIR [seed-suffix]
  CLEAN_DIR/NAME.txt: `scgrn bench` output of candidate NAME (pearson, D, R, N, Nv, Ng30); a candidate file named
  NAME.txt may hold only some sets: Ng30's missing sets are taken from D (its zero-share gate is closed there; see
  the section). NOISE_DIR/SET/nLEVEL-NAME/manifest.json: bench/input_noise.sh runs.
Criterion per set: (log EPR ratio + log AUPRC ratio to pearson) / 2; per group the median; mean over groups; ties to D.
"""
import json
import math
import os
import statistics
import sys

GROUPS = ["beeline-hHEP", "beeline-mDC", "beeline-mHSC-GM", "curated", "sergio", "synthetic"]
POOL = ["D", "R", "N", "Nv", "Ng30"]
NOISE_SETS = ["sergio-DS1", "sergio-DS4", "sergio-DS5", "curated-GSD-20-1", "curated-HSC-20-1"]
suffix = sys.argv[3] if len(sys.argv) > 3 else ""


def group(s):
    for g in GROUPS:
        if s.startswith(g + "-"):
            return g
    raise ValueError(s)


def read(path):
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        f = [x.strip() for x in line.split("|")]
        if len(f) > 5 and (f[1].startswith(("beeline-", "curated-", "sergio-", "synthetic-"))):
            try:
                out[f[1]] = (float(f[3]), float(f[4]))
            except ValueError:
                pass
    return out


clean = sys.argv[1]
P = read(os.path.join(clean, "pearson%s.txt" % suffix)) or read(os.path.join(clean, "pearson.txt"))
sets = sorted(P)
C = {c: read(os.path.join(clean, c + suffix + ".txt")) for c in POOL}
filled = []
for s in sets:
    if s not in C["Ng30"] and s in C["D"] and not s.startswith("beeline-hHEP"):
        C["Ng30"][s] = C["D"][s]
        filled.append(s)
pool = [c for c in POOL if all(s in C[c] for s in sets)]
missing = [c for c in POOL if c not in pool]


def crit(c, s):
    e, a = C[c][s]
    pe, pa = P[s]
    return (math.log(e / pe) + math.log(a / pa)) / 2


def gcrit(c, g):
    return statistics.median(crit(c, s) for s in sets if group(s) == g)


def gmed(c, g):
    xs = [s for s in sets if group(s) == g]
    src = P if c == "pearson" else C[c]
    return "%.2f / %.2f" % (statistics.median(src[s][0] for s in xs), statistics.median(src[s][1] for s in xs))


def below(c):
    return [s for s in sets if C[c][s][0] < P[s][0] - 1e-9]


print("candidates complete on %d sets: %s; not complete: %s; Ng30 taken from D on %d sets" % (
    len(sets), pool, missing, len(filled)))
print("\n#### Per set (EPR / AUPRC ratio; **bold**: EPR below pearson)\n")
print("| set | pearson | " + " | ".join(pool) + " |")
print("|---" * (len(pool) + 2) + "|")
for s in sets:
    cells = []
    for c in pool:
        e, a = C[c][s]
        b = "**" if e < P[s][0] - 1e-9 else ""
        cells.append("%s%.3f%s / %.3f" % (b, e, b, a))
    print("| %s | %.3f / %.3f | %s |" % (s, P[s][0], P[s][1], " | ".join(cells)))
print("\n#### Per group: median EPR / AUPRC ratio; criterion (difference to D); sets below pearson\n")
print("| candidate | " + " | ".join(g.replace("beeline-", "") for g in GROUPS) + " | criterion (mean of groups) | below pearson |")
print("|---" * (len(GROUPS) + 3) + "|")
print("| pearson | " + " | ".join(gmed("pearson", g) for g in GROUPS) + " | 0 | - |")
for c in pool:
    cells = []
    for g in GROUPS:
        d = gcrit(c, g) - gcrit("D", g)
        cells.append("%s (%s)" % (gmed(c, g), "%+.3f" % d if c != "D" else "%.3f" % gcrit(c, g)))
    m = statistics.mean(gcrit(c, g) for g in GROUPS)
    print("| %s | %s | %.4f | %d (%s) |" % (c, " | ".join(cells), m, len(below(c)), ", ".join(below(c)) or "-"))

print("\n#### Leave-one-group-out (pool {%s}, ties to D)\n" % ", ".join(pool))
print("| held-out group | selected on the other five (criterion) | held-out median EPR / AUPRC r | D | criterion diff |")
print("|---|---|---|---|---|")
diffs = []
for held in GROUPS:
    best, bc = None, -1e9
    for c in pool:
        m = statistics.mean(gcrit(c, g) for g in GROUPS if g != held)
        if m > bc + 1e-12:
            best, bc = c, m
    d = gcrit(best, held) - gcrit("D", held)
    diffs.append(d)
    print("| %s | %s (%.4f) | %s | %s | %+.4f |" % (held, best, bc, gmed(best, held), gmed("D", held), d))
print("| sum | | | | %+.4f |" % sum(diffs))
ge = sum(1 for d in diffs if d >= -1e-12)
c1 = ge >= 5 and min(diffs) >= -0.02 and sum(diffs) > 0
print("\nclause 1: >= D on %d of 6, worst %+.4f, sum %+.4f -> %s" % (ge, min(diffs), sum(diffs), "PASS" if c1 else "FAIL"))
sel, bc = None, -1e9
for c in pool:
    m = statistics.mean(gcrit(c, g) for g in GROUPS)
    if m > bc + 1e-12:
        sel, bc = c, m
print("selected on all six groups: %s (criterion %.4f; D %.4f; gain %+.4f)" % (
    sel, bc, statistics.mean(gcrit("D", g) for g in GROUPS), bc - statistics.mean(gcrit("D", g) for g in GROUPS)))
print("clause 3 (that candidate): %d of %d sets below pearson -> %s" % (len(below(sel)), len(sets),
                                                                       "PASS" if len(below(sel)) <= 1 else "FAIL"))

# noisy test bed
nd = sys.argv[2]
print("\n#### Noisy test bed (EPR / AUPRC ratio; **bold**: below pearson = not both >= pearson's)\n")
NC = ["D", "R", "N", "Nv", "Ng30"]
print("| set | level | pearson | " + " | ".join(NC) + " |")
print("|---" * (len(NC) + 3) + "|")
sc = {}
for s in NOISE_SETS:
    for lvl in range(4):
        row = {}
        for c in ["pearson"] + NC:
            f = os.path.join(nd, s, "n%d-%s" % (lvl, c), "manifest.json")
            if os.path.exists(f):
                j = json.load(open(f))
                row[c] = (j["scores"]["epr"], j["scores"]["auprc_ratio"])
        sc[(s, lvl)] = row
        cells = []
        for c in NC:
            if c not in row or "pearson" not in row:
                cells.append("not run")
                continue
            e, a = row[c]
            bad = not (e >= row["pearson"][0] and a >= row["pearson"][1])
            b = "**" if bad else ""
            cells.append("%s%.3f / %.3f%s" % (b, e, a, b))
        pc = "%.3f / %.3f" % row["pearson"] if "pearson" in row else "not run"
        print("| %s | %s | %s | %s |" % (s, lvl if lvl else "0 (original)", pc, " | ".join(cells)))
print("\n| candidate | noisy cells (levels 1-3) run | below pearson | median criterion | level-0 cells below pearson |")
print("|---|---|---|---|---|")
for c in NC:
    n, bad, cr, bad0 = 0, 0, [], 0
    for s in NOISE_SETS:
        for lvl in range(4):
            row = sc[(s, lvl)]
            if c not in row or "pearson" not in row:
                continue
            e, a = row[c]
            pe, pa = row["pearson"]
            isbad = not (e >= pe and a >= pa)
            if lvl == 0:
                bad0 += isbad
                continue
            n += 1
            bad += isbad
            cr.append((math.log(e / pe) + math.log(a / pa)) / 2)
    print("| %s | %d | %d | %s | %d |" % (c, n, bad, "%.4f" % statistics.median(cr) if cr else "-", bad0))

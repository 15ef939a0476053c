#!/usr/bin/python3
"""Round 14b (helper k14): composition-robust size factors for count input, screened without product code.
docs/benchmarks.md "GRN accuracy: round 14b, composition-robust size factors for count input (helper k14)".

Usage:
  sizefactor_screen.py make IN.h5ad OUT.h5ad VARIANT   write log1p(k / s_c * median(s)) as float32 (non-integer, so
                                                        scgrn takes the values as already normalised)
  sizefactor_screen.py deep IN.h5ad OUT.h5ad           r12's post hoc deep counts (reconstruction): library
                                                        lognormal(11.5, 0.01) per cell, Poisson, numpy default_rng(1200)
  sizefactor_screen.py stats IN.h5ad                    label-free: genes E excludes, cells with s_c = 0 per variant
  sizefactor_screen.py table W                          the screen's tables and the registered rule (W = work dir)

VARIANT (size factor s_c of cell c from its counts k_cg; cells with no counts are dropped first, as CellSet does):
  C  total counts (what scgrn's CellSet does today: a control, must reproduce the raw-file network)
  E  scanpy normalize_total(exclude_highly_expressed=True, max_fraction=0.05): genes with k_cg > 0.05 * total_c in
     any cell are left out of s_c; target = median over cells with s_c > 0; cells with s_c = 0 get s_c = 1
     (scanpy's `counts += counts == 0`), exactly as scanpy 1.9 does
  Ef E with a fallback: a cell with s_c = 0 gets s_c = total_c * median over cells with s > 0 of (s / total) (all
     cells s = 0: Ef = C); target = median of s
  P  DESeq2 poscounts: gm_g = exp(sum_{c: k_cg > 0} log k_cg / n_cells); s_c = exp(median over genes with k_cg > 0
     and gm_g > 0 of log(k_cg / gm_g)) (estimateSizeFactors(type="poscounts"); the geometric-mean-1 rescaling
     cancels in k / s_c * median(s))
  T  trimmed total: s_c = sum of k_cg over genes outside the top 10 % (ceil) by mean share mean_c(k_cg / total_c),
     with Ef's fallback for s_c = 0
Every variant then writes log1p(k_cg / s_c * median_c(s_c)) (C: scgrn's own normalisation).
"""
import json
import math
import os
import sys

import anndata
import numpy as np


def size_factors(k, variant):
    tot = k.sum(axis=1)
    if variant == "C":
        return tot, {}
    if variant == "E":
        excl = (k > tot[:, None] * 0.05).any(axis=0)
        s = k[:, ~excl].sum(axis=1)
        return s, {"genes_excluded": int(excl.sum()), "cells_s0": int((s == 0).sum())}
    if variant == "P":
        n = k.shape[0]
        with np.errstate(divide="ignore"):
            lk = np.where(k > 0, np.log(np.where(k > 0, k, 1)), 0.0)
        lgm = lk.sum(axis=0) / n
        gm_pos = (k > 0).any(axis=0)
        s = np.empty(n)
        for c in range(n):
            m = (k[c] > 0) & gm_pos
            s[c] = math.exp(np.median(lk[c, m] - lgm[m]))
        return s, {}
    if variant == "T":
        share = (k / tot[:, None]).mean(axis=0)
        q = int(math.ceil(0.10 * k.shape[1]))
        top = np.argsort(-share, kind="stable")[:q]
        m = np.ones(k.shape[1], bool)
        m[top] = False
        s = k[:, m].sum(axis=1)
        return s, {"genes_trimmed": q, "cells_s0": int((s == 0).sum())}
    raise SystemExit("unknown variant " + variant)


def normalise(k, variant):
    s, info = size_factors(k, "E" if variant == "Ef" else variant)
    if variant == "E":
        # scanpy's _normalize_data: target = median of the positive size factors, then counts += counts == 0
        target = np.median(s[s > 0]) if (s > 0).any() else 1.0
        s = np.where(s == 0, 1.0, s)
    else:
        if variant in ("Ef", "T"):
            # fallback for cells whose size factor is 0: total_c * median over cells with s > 0 of s / total
            tot = k.sum(axis=1)
            pos = s > 0
            if not pos.any():
                s = tot  # nothing left: total counts (= C)
            else:
                s = np.where(pos, s, tot * np.median(s[pos] / tot[pos]))
            info["cells_fallback"] = int((~pos).sum())
        target = np.median(s)
    return np.log1p(k / s[:, None] * target), info


def read_counts(path):
    a = anndata.read_h5ad(path)
    x = a.X.toarray() if hasattr(a.X, "toarray") else np.asarray(a.X)
    k = x.astype(np.float64)
    assert (k >= 0).all() and (k == np.rint(k)).all(), "not counts: " + path
    keep = k.sum(axis=1) > 0
    return a, k, keep


def main():
    mode = sys.argv[1]
    if mode == "make":
        src, dst, variant = sys.argv[2:5]
        a, k, keep = read_counts(src)
        a = a[keep].copy()
        v, info = normalise(k[keep], variant)
        a.X = v.astype(np.float32)
        a.write_h5ad(dst)
        print(json.dumps({"file": dst, "variant": variant, "cells_dropped": int((~keep).sum()), **info}))
    elif mode == "deep":
        src, dst = sys.argv[2:4]
        a = anndata.read_h5ad(src)
        e = np.asarray(a.X, dtype=np.float64).copy()
        rng = np.random.default_rng(1200)
        lib = rng.lognormal(11.5, 0.01, size=e.shape[0])
        tot = e.sum(axis=1)
        tot[tot == 0] = 1
        e *= (lib / tot)[:, None]
        a.X = rng.poisson(e).astype(np.float32)
        a.write_h5ad(dst)
    elif mode == "stats":
        a, k, keep = read_counts(sys.argv[2])
        k = k[keep]
        out = {"cells": int(k.shape[0]), "genes": int(k.shape[1]), "cells_dropped": int((~keep).sum()),
               "median_total": float(np.median(k.sum(axis=1)))}
        for var in ("E", "T"):
            out[var] = size_factors(k, var)[1]
        print(json.dumps(out))
    elif mode == "table":
        table(sys.argv[2])
    else:
        raise SystemExit(__doc__)


def score(path):
    try:
        j = json.load(open(os.path.join(path, "manifest.json")))
        return j["scores"]["epr"], j["scores"]["auprc_ratio"]
    except (OSError, KeyError):
        return None


def crit(x, p):
    return (math.log(x[0] / p[0]) + math.log(x[1] / p[1])) / 2


def below(x, p):
    return not (x[0] >= p[0] and x[1] >= p[1])


CELLS = [(s, f"noise{l}") for s in ("sergio-DS1", "sergio-DS4", "sergio-DS5", "curated-GSD-20-1", "curated-HSC-20-1")
         for l in (1, 2, 3)] + \
        [(s, v) for s in ("beeline-hHEP-STRING-500", "beeline-mHSC-GM-STRING-500") for v in ("counts-e", "counts-2")] + \
        [(s, "deep") for s in ("sergio-DS4", "sergio-DS5")]
VARIANTS = ["C", "E", "Ef", "P", "T"]


def table(w):
    # run dirs: W/SET/FILE-raw-{D,pearson}, W/SET/FILE-V-{D,pearson}
    rows = []
    print("| set | file | pearson (raw) | D (raw) | " + " | ".join(f"D on {v}" for v in VARIANTS) + " | "
          + " | ".join(f"pearson on {v}" for v in VARIANTS) + " |")
    print("|---|---|---|---|" + "---|" * (2 * len(VARIANTS)))
    per = {m: [] for m in ["D"] + VARIANTS}
    for s, f in CELLS:
        p = score(f"{w}/{s}/{f}-raw-pearson")
        d = score(f"{w}/{s}/{f}-raw-D")
        if p is None or d is None:
            print(f"| {s} | {f} | missing |")
            continue
        cells = {"D": d}
        for v in VARIANTS:
            cells[v] = score(f"{w}/{s}/{f}-{v}-D")

        def fmt(x):
            if x is None:
                return "–"
            t = f"{x[0]:.3f} / {x[1]:.3f}"
            return f"**{t}**" if below(x, p) else t

        pv = [score(f"{w}/{s}/{f}-{v}-pearson") for v in VARIANTS]
        print(f"| {s} | {f} | {p[0]:.3f} / {p[1]:.3f} | {fmt(d)} | " + " | ".join(fmt(cells[v]) for v in VARIANTS)
              + " | " + " | ".join("–" if x is None else f"{x[0]:.3f} / {x[1]:.3f}" for x in pv) + " |")
        for m, x in cells.items():
            if x is not None:
                per[m].append((s, f, below(x, p), crit(x, p)))
    print()
    print("| model | cells run | below raw pearson (all) | of them noisy (15) | median criterion (all) | "
          "median criterion (noisy) | passes (fewer below than D and median >= D's, all cells) |")
    print("|---|---|---|---|---|---|---|")
    nd = sum(b for _, _, b, _ in per["D"])
    md = float(np.median([c for *_, c in per["D"]])) if per["D"] else float("nan")
    for m, xs in per.items():
        if not xs:
            continue
        nb = sum(b for _, _, b, _ in xs)
        nbn = sum(b for _, f, b, _ in xs if f.startswith("noise"))
        med = float(np.median([c for *_, c in xs]))
        medn = float(np.median([c for _, f, _, c in xs if f.startswith("noise")]))
        ok = "–" if m == "D" else ("yes" if (len(xs) == len(per["D"]) and nb < nd and med >= md) else "no")
        print(f"| {m} | {len(xs)} | {nb} | {nbn} | {med:+.4f} | {medn:+.4f} | {ok} |")


if __name__ == "__main__":
    main()

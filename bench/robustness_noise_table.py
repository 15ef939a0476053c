#!/usr/bin/python3
"""Table of the noise runs of bench/robustness.sh (docs/benchmarks.md "GRN accuracy: round 12").

Usage: robustness_noise_table.py W SET...   (W = the work folder, default of robustness.sh: /tmp/r12/rob)
"""
import json
import os
import sys

w = sys.argv[1]
print("| set | level | zeros in X | default EPR / AUPRC r | pearson EPR / AUPRC r | grnboost EPR / AUPRC r | default >= pearson (both) |")
print("|---|---|---|---|---|---|---|")
for s in sys.argv[2:]:
    for lvl in range(4):
        row, sc = [], {}
        for m in ("default", "pearson", "grnboost"):
            f = os.path.join(w, s, "n%d-%s" % (lvl, m), "manifest.json")
            if os.path.exists(f):
                j = json.load(open(f))
                sc[m] = (j["scores"]["epr"], j["scores"]["auprc_ratio"])
                row.append("%.3f / %.3f" % sc[m])
            else:
                row.append("not run")
        z = "-"
        if lvl > 0:
            try:
                import anndata
                import numpy as np
                x = anndata.read_h5ad(os.path.join(w, s, "noise%d.h5ad" % lvl)).X
                z = "%.2f" % float(np.mean(np.asarray(x) == 0))
            except Exception:  # noqa
                pass
        ok = "-"
        if "default" in sc and "pearson" in sc:
            ok = "yes" if sc["default"][0] >= sc["pearson"][0] and sc["default"][1] >= sc["pearson"][1] else \
                "no (EPR %+.3f, AUPRC r %+.3f)" % (sc["default"][0] - sc["pearson"][0], sc["default"][1] - sc["pearson"][1])
        print("| %s | %s | %s | %s | %s |" % (s, lvl if lvl else "0 (original)", z, " | ".join(row), ok))

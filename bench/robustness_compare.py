#!/usr/bin/python3
"""Compare scgrn networks with a reference run (docs/benchmarks.md "GRN accuracy: round 12").

Usage: robustness_compare.py REF_DIR DIR...   (each DIR holds network.tsv and manifest.json of `scgrn infer --truth`)
Prints per DIR: byte-identical network.tsv, same edge set, max |score difference| on shared edges, Spearman rho of
the scores on shared edges, overlap of the top k edges (k = true edges), EPR and AUPRC ratio, and the ratios to REF.
"""
import hashlib
import json
import sys

import numpy as np
from scipy.stats import spearmanr


def load(d):
    edges = {}
    with open(d + "/network.tsv") as f:
        next(f)
        for line in f:
            p = line.rstrip("\n").split("\t")
            edges[(p[0], p[1])] = float(p[2])
    m = json.load(open(d + "/manifest.json"))
    md5 = hashlib.md5(open(d + "/network.tsv", "rb").read()).hexdigest()
    return edges, m, md5


def top(edges, k):
    return set(sorted(edges, key=lambda e: (-abs(edges[e]), e))[:k])


def main():
    ref, rm, rmd5 = load(sys.argv[1])
    k = int(rm["scores"]["n_true"])
    print("variant\tbytes_same\tedges_same\tmax_abs_diff\tspearman\ttopk_overlap\tepr\tauprc_r\tepr/ref\tauprc/ref\tprep")
    print("REF\t-\t-\t-\t-\t-\t%.3f\t%.3f\t-\t-\t%s" % (rm["scores"]["epr"], rm["scores"]["auprc_ratio"],
                                                        "; ".join(rm["preparation"]["steps"])))
    for d in sys.argv[2:]:
        try:
            e, m, md5 = load(d)
        except Exception as ex:  # noqa
            print("%s\tMISSING %s" % (d, ex))
            continue
        shared = sorted(set(e) & set(ref))
        a = np.array([ref[s] for s in shared])
        b = np.array([e[s] for s in shared])
        diff = float(np.max(np.abs(a - b))) if len(shared) else float("nan")
        rho = spearmanr(a, b).correlation if len(shared) > 2 else float("nan")
        ov = len(top(e, k) & top(ref, k)) / k
        s = m["scores"]
        print("%s\t%s\t%s\t%.3g\t%.6f\t%.4f\t%.3f\t%.3f\t%.4f\t%.4f\t%s" % (
            d, md5 == rmd5, set(e) == set(ref), diff, rho, ov, s["epr"], s["auprc_ratio"],
            s["epr"] / rm["scores"]["epr"], s["auprc_ratio"] / rm["scores"]["auprc_ratio"],
            "; ".join(m["preparation"]["steps"])))


if __name__ == "__main__":
    main()

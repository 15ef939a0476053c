#!/usr/bin/env python3
"""Round 15 (helper p15; docs/benchmarks.md, "In-silico perturbation: round 15, sparse response"): post-hoc
sparsification of the predicted per-gene shift, per knock-out, label-free.

Reads PerturbDiag dumps (d_SEED_TF.tsv: gene, target, depth, true, naive, prediction columns) and scores transforms
of one prediction column: Pearson r over the genes other than the knocked-out TF, against the true change.
By the prediction's own magnitudes:
  soft:K        soft threshold at K x median |d|: sign(d) max(0, |d| - K med|d|)
  hard:K        hard threshold at K x median |d|
  mad:K         soft threshold at K x 1.4826 MAD(d) (MAD about the median)
  top:F         only the share F of genes with the largest |d| kept, the others 0
  pow:K         sign(d) |d|^K
  wins:Q        |d| winsorised at its Q quantile
By the network's reach (--net DIR holding PerturbDiag's net_MODEL_SEED.tsv caches):
  in:K:D:S      genes reached from the TF in D steps along edges r -> t with r among t's K best-scoring regulators
                keep d, the others S x d
  out:K:D:S     the same along each TF's K best-scoring out-edges
By a null of other TFs' knock-outs (--nulls DIR holding PerturbNull's n_SEED.tsv: every TF knocked out in turn):
  nullw:SC/SG:K d x min(1, |z| / K), z = (d / s_t) / sigma_g; s_j the scale of knock-out j's profile (SC med: median
                |d_j|, rms: root mean square), sigma_g the gene's spread over the other TFs' scaled profiles (SG rms or
                med of |.|)
  nulls:SC/SG:K soft threshold of z at K, back on d's scale
  nullpc:K:A    d minus A x its projection on the top K principal directions of the other TFs' profiles (non-TF genes)
Usage: perturb_sparse.py DUMPDIR COLUMN [--blocks 101-106,111-116] [--tr default,soft:1,...] [--net DIR]
       [--nulls DIR] [--model crowd-q] [--perko]
"""
import argparse
import glob
import os
from collections import defaultdict

import numpy as np


def pearson(a, b):
    a = a - a.mean()
    b = b - b.mean()
    d = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / d) if d > 0 else float('nan')


def load(f):
    with open(f) as fh:
        head = fh.readline().rstrip('\n').split('\t')
        rows = [l.rstrip('\n').split('\t') for l in fh]
    return head, {h: [r[i] for r in rows] for i, h in enumerate(head)}


_nets = {}


def network(netdir, model, seed):
    """Per target its in-edges and per TF its out-edges, best score first (ties by name, as the Java side)."""
    key = (netdir, model, seed)
    if key not in _nets:
        inn, out = defaultdict(list), defaultdict(list)
        for line in open(os.path.join(netdir, f'net_{model}_{seed}.tsv')):
            a = line.split('\t')
            inn[a[1]].append((float(a[2]), a[0]))
            out[a[0]].append((float(a[2]), a[1]))
        for d in (inn, out):
            for k in d:
                d[k].sort(key=lambda e: (-e[0], e[1]))
        _nets[key] = (inn, out)
    return _nets[key]


def reach(netdir, model, seed, tf, kind, k, depth):
    inn, out = network(netdir, model, seed)
    child = defaultdict(list)
    if kind == 'in':
        for t, l in inn.items():
            for _, r in l[:k]:
                if r != t:
                    child[r].append(t)
    else:
        for r, l in out.items():
            child[r] = [t for _, t in l[:k] if t != r]
    seen, front = {tf}, [tf]
    for _ in range(depth):
        nxt = []
        for g in front:
            for c in child[g]:
                if c not in seen:
                    seen.add(c)
                    nxt.append(c)
        front = nxt
    return seen


def transform(d, spec, ctx):
    kind, _, par = spec.partition(':')
    if kind == 'default':
        return d
    a = np.abs(d)
    if kind in ('in', 'out'):
        k, depth, shrink = par.split(':')
        r = reach(ctx['net'], ctx['model'], ctx['seed'], ctx['tf'], kind, int(k), int(depth))
        return d * np.array([1.0 if g in r else float(shrink) for g in ctx['genes']])
    if kind in ('nullw', 'nulls', 'nullpc'):
        P, tfs, ti, rows = ctx['null']
        j = [i for i in range(len(tfs)) if i != ti]
        if kind == 'nullpc':
            k, amt = par.split(':')
            U = P[:, j].copy()
            U[~rows] = 0
            U = U / np.sqrt((U ** 2).sum(axis=0))
            B = np.linalg.svd(U, full_matrices=False)[0][:, :int(k)]
            proj = B @ (B.T @ np.where(rows, d, 0))
            return d - float(amt) * np.where(rows, proj, 0)
        sc, _, rest = par.partition('/')
        sg, _, k = rest.partition(':')
        k = float(k)
        s = np.median(np.abs(P), axis=0) if sc == 'med' else np.sqrt((P ** 2).mean(axis=0))
        U = P / s
        sig = np.sqrt((U[:, j] ** 2).mean(axis=1)) if sg == 'rms' else np.median(np.abs(U[:, j]), axis=1)
        sig = np.maximum(sig, 1e-12)
        z = U[:, ti] / sig
        if kind == 'nullw':
            return d * np.minimum(1, np.abs(z) / k)
        return np.sign(z) * np.maximum(0, np.abs(z) - k) * sig * s[ti]
    k = float(par)
    if kind == 'soft':
        return np.sign(d) * np.maximum(0, a - k * np.median(a))
    if kind == 'hard':
        return np.where(a > k * np.median(a), d, 0.0)
    if kind == 'mad':
        return np.sign(d) * np.maximum(0, a - k * 1.4826 * np.median(np.abs(d - np.median(d))))
    if kind == 'top':
        n = max(1, int(round(k * len(d))))
        return np.where(a >= np.sort(a)[::-1][n - 1], d, 0.0)
    if kind == 'pow':
        return np.sign(d) * a ** k
    if kind == 'wins':
        return np.sign(d) * np.minimum(a, np.quantile(a, k))
    raise ValueError(spec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dump')
    ap.add_argument('column')
    ap.add_argument('--blocks', default=None)
    ap.add_argument('--tr', default='default,soft:1,soft:2,mad:1,top:0.25')
    ap.add_argument('--net', default=None)
    ap.add_argument('--model', default='crowd-q')
    ap.add_argument('--nulls', default=None)
    ap.add_argument('--perko', action='store_true')
    a = ap.parse_args()
    trs = a.tr.split(',')
    if 'default' not in trs:
        trs = ['default'] + trs
    res = {}
    for f in sorted(glob.glob(os.path.join(a.dump, 'd_*.tsv'))):
        seed, tf = os.path.basename(f)[2:-4].split('_', 1)
        _, c = load(f)
        genes = c['gene']
        true = np.array(c['true'], float)
        d = np.array(c[a.column], float)
        ctx = {'net': a.net, 'model': a.model, 'seed': int(seed), 'tf': tf, 'genes': genes}
        if a.nulls:
            hn, n = load(os.path.join(a.nulls, f'n_{seed}.tsv'))
            assert n['gene'] == genes
            tfs = hn[1:]
            P = np.array([n[x] for x in tfs], float).T
            assert np.max(np.abs(P[:, tfs.index(tf)] - d)) < 1e-9, 'null profile differs from the dump'
            rows = np.array([g != tf and g not in tfs for g in genes])
            ctx['null'] = (P, tfs, tfs.index(tf), rows)
        keep = np.array([g != tf for g in genes])
        row = {'naive': pearson(np.array(c['naive'], float)[keep], true[keep])}
        for t in trs:
            row[t] = pearson(transform(d, t, ctx)[keep], true[keep])
        res[(int(seed), tf)] = row
    blocks = []
    if a.blocks:
        for bl in a.blocks.split(','):
            lo, hi = map(int, bl.split('-'))
            blocks.append((bl, [k for k in res if lo <= k[0] <= hi]))
    blocks.append(('all', list(res)))
    if a.perko:
        print('seed\tTF\tnaive\t' + '\t'.join(trs))
        for k in sorted(res):
            print(f"{k[0]}\t{k[1]}\t{res[k]['naive']:.3f}\t" + '\t'.join(f"{res[k][t]:.3f}" for t in trs))
    print('| transform | ' + ' | '.join(f'{n} ({len(ks)}): median r, ratio, better / worse' for n, ks in blocks)
          + ' | median gain (all) |')
    print('|---|' + '---|' * (len(blocks) + 1))
    for t in ['naive'] + trs:
        cells = []
        for _, ks in blocks:
            r = np.array([res[k][t] for k in ks])
            nv = np.array([res[k]['naive'] for k in ks])
            r0 = np.array([res[k]['default'] for k in ks])
            cells.append(f'{np.median(r):.3f}, {np.median(r / nv):.2f}×, '
                         f'{int((r > r0 + 1e-12).sum())} / {int((r < r0 - 1e-12).sum())}')
        g = np.median([res[k][t] - res[k]['default'] for k in res])
        print(f'| {t} | ' + ' | '.join(cells) + f' | {g:+.3f} |')


if __name__ == '__main__':
    main()

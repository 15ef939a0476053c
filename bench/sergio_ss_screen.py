#!/usr/bin/python3
"""Round 15 (helper s15) numpy screen on bench/sergio_ss.py sets: per set, the criterion of simple label-free scores
against |Pearson r| (same scorer as sergio_ss.py stats), then an oracle (partial correlation given the TRUE regulators
only: uses labels, an upper bound, not a candidate) and label-free conditioning sets. Usage: sergio_ss_screen.py SET...
(a throw-away diagnostic kept for the record; docs/benchmarks.md "round 15")."""
import sys, json, numpy as np, pandas as pd, anndata, math
sys.path.insert(0,'/work/wt/s15/bench')
def score(S, regs, genes, names, truth):
    # S: dict-like function (reg index, gene index) -> score matrix rows=regs cols=genes (indices into names)
    cand=[]
    for a,r in enumerate(regs):
        for b,g in enumerate(genes):
            if r!=g: cand.append((-abs(S[a,b]), names[r], names[g]))
    cand.sort()
    lab=np.array([(r,g) in truth for _,r,g in cand]); dens=lab.mean(); k=int(lab.sum())
    epr=lab[:k].mean()/dens; hits=np.cumsum(lab); ap=(hits[lab]/(np.flatnonzero(lab)+1)).mean()
    return epr, ap/dens
def load(d):
    a=anndata.read_h5ad(d+'/data.h5ad'); X=np.asarray(a.X,float); names=list(a.var_names)
    t=pd.read_csv(d+'/truth.csv'); truth=set(zip(t.Gene1,t.Gene2))
    regs=[names.index(r) for r in sorted(set(t.Gene1))]
    genes=[names.index(g) for g in sorted(set(t.Gene1)|set(t.Gene2))]
    return X,names,truth,regs,genes
def pcor(X, shrink):
    C=np.corrcoef(X.T); C=(1-shrink)*C+shrink*np.eye(len(C)); P=np.linalg.inv(C); d=np.sqrt(np.diag(P)); return -P/np.outer(d,d)
def clr(A):
    A=np.abs(A).copy(); np.fill_diagonal(A,0)
    z1=(A-A.mean(1,keepdims=True))/A.std(1,keepdims=True); z2=(A-A.mean(0,keepdims=True))/A.std(0,keepdims=True)
    return np.sqrt(np.maximum(z1,0)**2+np.maximum(z2,0)**2)
def activity(X, k):
    Z=(X-X.mean(0))/X.std(0); C=np.corrcoef(X.T); np.fill_diagonal(C,0)
    A=np.empty_like(Z)
    for j in range(X.shape[1]):
        top=np.argsort(-np.abs(C[j]))[:k]; A[:,j]=(Z[:,top]*np.sign(C[j,top])).mean(1)
    return A
sets=sys.argv[1:]
res={}
for d in sets:
    X,names,truth,regs,genes=load(d)
    C=np.corrcoef(X.T)
    meth={'r':C}
    L=np.log1p(X); meth['r_log']=np.corrcoef(L.T)
    R=np.argsort(np.argsort(X,0),0).astype(float); meth['rho']=np.corrcoef(R.T)
    for s in [0.5,0.9,0.95,0.99]: meth['pcor%.2f'%s]=pcor(X,s)
    meth['clr_r']=clr(C)
    for k in [5,10,25]:
        A=activity(X,k); Z=(X-X.mean(0))/X.std(0)
        meth['act%d'%k]=(A.T@Z)/len(X)/A.std(0)[:,None]
    # mix r and activity
    out={}
    for m,S in meth.items():
        out[m]=score(S[np.ix_(regs,genes)],regs,genes,names,truth)
    res[d]=out
base={d:res[d]['r'] for d in sets}
for m in res[sets[0]]:
    cs=[(math.log(res[d][m][0]/base[d][0])+math.log(res[d][m][1]/base[d][1]))/2 for d in sets]
    print('%-10s'%m, ' '.join('%+.3f'%c for c in cs), ' median %+.3f'%np.median(cs))

print('--- oracle / partial conditioning')
for d in sets:
    X,names,truth,regs,genes=load(d)
    C=np.corrcoef(X.T); out={}
    base=score(C[np.ix_(regs,genes)],regs,genes,names,truth)
    def crit(S): e,a=score(S[np.ix_(regs,genes)],regs,genes,names,truth); return (math.log(e/base[0])+math.log(a/base[1]))/2
    # condition on the true regulators only: for each (reg, gene): pcor given other regs
    for s in [0.0,0.5,0.9]:
        S=np.zeros_like(C)
        Rg=list(regs)
        for j in range(C.shape[0]):
            idx=Rg+([j] if j not in Rg else [])
            M=C[np.ix_(idx,idx)]; M=(1-s)*M+s*np.eye(len(idx)); P=np.linalg.inv(M); dd=np.sqrt(np.diag(P))
            pc=-P/np.outer(dd,dd); jj=idx.index(j)
            for a,r in enumerate(Rg): S[r,j]=pc[a,jj]
        out['oracle%.1f'%s]=crit(S)
    # hub-estimated conditioning: top-m genes by sum r^2
    hub=(C**2).sum(1); 
    for m in [10,20]:
        H=list(np.argsort(-hub)[:m]); S=np.zeros_like(C)
        for j in range(C.shape[0]):
            idx=H+([j] if j not in H else []); M=C[np.ix_(idx,idx)]; M=0.5*M+0.5*np.eye(len(idx)); P=np.linalg.inv(M); dd=np.sqrt(np.diag(P))
            pc=-P/np.outer(dd,dd); jj=idx.index(j)
            for r in range(C.shape[0]):
                S[r,j]=pc[idx.index(r),jj] if r in H else C[r,j]*0.0
        out['hub%d'%m]=crit(S)
        out['hub%d_regsfound'%m]=len(set(H)&set(regs))/len(regs)
    A=np.abs(C); np.fill_diagonal(A,0)
    out['r/colmax']=crit(A/A.max(0,keepdims=True))
    out['r/rowmax']=crit(A/A.max(1,keepdims=True))
    out['r2sq_col']=crit(A**2/np.sqrt((A**2).sum(0,keepdims=True)))
    print(d.split('/')[-1], ' '.join('%s %+.3f'%(k,v) for k,v in out.items()))

#!/usr/bin/env python3
"""CPU seconds per stage of one `scgrn infer` run from a JFR recording, split into the main thread and the others.

    SCGRN_JAVA_OPTS='-XX:StartFlightRecording=filename=x.jfr,settings=profile' app/bin/scgrn infer ...
    jfr print --json --stack-depth 64 --events jdk.ExecutionSample,jdk.NativeMethodSample x.jfr > x.json
    bench/jfr_stages.py x.json

Java samples count 10 ms and native samples 20 ms (the `profile` settings' periods); a sample's stage is the first
rule below that its stack (scgrn's frames and the thread name) matches. Approximate: a sampled native frame may be
waiting, and threads parked on a lock are not sampled.
"""
import json,sys,collections
# CPU samples per stage (JFR: Java samples every 10 ms, native every 20 ms, weighted so), by the frames in the stack
def stage(thread, names):
    has=lambda s: any(s in n for n in names)
    if thread.startswith('scgrn-engine') : return 'engine load (warm-up thread)'
    if has('InferPipeline$Run.readInput') or has('readInput'): return 'read'
    if has('InferPipeline$Run.prepare'): return 'prepare (+ decoys)'
    if has('InferPipeline$Run.evaluate'): return 'evaluate'
    if has('buildRegulons'): return 'regulons'
    if has('writeOutputs') or has('startNetworkFiles') or has('NetworkFiles.write'): return 'write'
    if has('CrowdModel.statistical') or thread.startswith('crowd-statis') or thread.startswith('ForkJoin'): return 'statistical terms (2nd thread)'
    if has('MaskPlan.upload'): return 'learned: masking plan'
    if has('EpochInputs') or has('Augmentation') or has('normaliseWithSelfLoops') or has('trainMaskedEdges$0') : return 'learned: epoch inputs (masked graph, augmentation)'
    if has('NnSupport.backward'): return 'learned: forward + backward'
    if has('MaskPlan.upload'): return 'learned: masking plan'
    if has('NnSupport.fit') : return 'learned: Adam step + loop'
    if has('Graph.of') or has('GnnModel.infer') and (has('GeneGraph.') or has('rankStandardise')) : return 'learned: graph (corr, pcor, candidates)'
    if has('learnedScores') or has('GnnModel.infer') or has('learnedTerm') or has('meanRankScale'): return 'learned: init, score, rank scaling, network'
    if has('CrowdModel.infer') or has('DecoyCalibration'): return 'combine + network + q'
    if has('Main.'): return 'CLI start-up'
    return 'other: '+thread[:20]
d=json.load(open(sys.argv[1]))
c=collections.Counter(); c2=collections.Counter()
for e in d['recording']['events']:
    st=e['values'].get('stackTrace')
    if not st: continue
    t=e['values'].get('sampledThread',{}).get('javaName','?')
    names=[f['method']['type']['name'].split('/')[-1]+'.'+f['method']['name'] for f in st['frames']]
    w=0.02 if e['type']=='jdk.NativeMethodSample' else 0.01
    st_=stage(t,names); c[st_]+=w; c2[(st_, 'main' if t=='main' else 'other')]+=w
for k,v in sorted(c.items(), key=lambda x:-x[1]): print(f'{v:6.2f} main {c2[(k,"main")]:6.2f} other {c2[(k,"other")]:6.2f} {k}')
print(f'{sum(c.values()):6.2f} total, main {sum(v for (k, t), v in c2.items() if t == "main"):.2f}')

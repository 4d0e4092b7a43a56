/**
 * The real-world corpus on the simulator: for every case of grader/sim/corpus (each INDEX.md
 * group applied alone to a fresh cluster), the time to boot the cluster, to apply and settle
 * (apply, waitForRollout, the extra minute for bare pods — virtual time, so only CPU counts),
 * and the peak memory. Expectations are not checked here; the conformance test does that.
 */
import { CORPUS_CASES, corpusAvailable, newCluster, stepDocuments } from '../sim/corpus/index.ts';
import type { BenchSection } from './types.ts';
import { MemorySampler, median } from './sim-memory.ts';

export const simCorpusSection: BenchSection = {
  name: 'sim-corpus',
  description: 'real-world corpus: per group boot, apply-and-settle time and peak memory on the simulator',
  async run(ctx) {
    if (!corpusAvailable()) {
      return [{ title: 'sim-corpus: skipped', columns: ['reason'], rows: [['corpus folder not found (set KUBELAB_CORPUS)']] }];
    }
    const reps = Number(ctx.options.reps ?? (ctx.quick ? 1 : 5));
    const cases = ctx.quick ? CORPUS_CASES.slice(0, 8) : CORPUS_CASES;
    const rows = [];
    let totalMs = 0;
    let peakRss = 0;
    for (const k of cases) {
      const docs = await Promise.all(k.steps.map((s) => stepDocuments(s)));
      const boot: number[] = [];
      const settle: number[] = [];
      let objects = 0;
      const sampler = new MemorySampler();
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        const c = newCluster(k.cluster);
        const t1 = performance.now();
        for (const [i, step] of k.steps.entries()) {
          c.apply(docs[i]!);
          sampler.sample();
          c.waitForRollout(step.rollout ?? 600);
          c.advance(step.settle ?? 60);
          sampler.sample();
        }
        settle.push(performance.now() - t1);
        boot.push(t1 - t0);
        objects = c.ctx.store.kinds().reduce((n, kind) => n + c.ctx.store.count(kind), 0);
      }
      const mem = sampler.stop();
      peakRss = Math.max(peakRss, mem.peakRssMb);
      totalMs += median(boot) + median(settle);
      rows.push([`${k.group}: ${k.title}`.slice(0, 70), docs.flat().length, objects, median(boot), median(settle), mem.peakHeapMb]);
    }
    return [
      {
        title: `sim-corpus: ${cases.length} cases (median of ${reps})`,
        columns: ['case', 'docs', 'objects after', 'boot ms', 'apply+settle ms', 'peak heap MB'],
        rows,
        notes: [
          `total ${totalMs.toFixed(0)} ms for all cases (boot + apply-and-settle, medians)`,
          `peak RSS ${peakRss.toFixed(0)} MB over the section; peak heap per case is V8's used heap sampled after each apply and settle (garbage included)`,
        ],
      },
    ];
  },
};

import { expect, it } from 'vitest';
import { findSection } from './sections.ts';
import { runScale, scaleDocuments } from './sim-scale.ts';
import { corpusAvailable } from '../sim/corpus/index.ts';

const ctx = (options: Record<string, string> = {}) => ({ quick: true, options, tmpDir: '/tmp', log: () => {} });

it('the simulator sections are registered', () => {
  for (const n of ['sim-scale', 'sim-corpus', 'sim-labs']) expect(findSection(n)?.name).toBe(n);
});

it('a small scale run brings every pod up and answers its probes', () => {
  expect(scaleDocuments(3, 2).map((d) => d.object.kind)).toEqual(['Deployment', 'Service', 'Deployment', 'Service', 'Deployment', 'Service']);
  const r = runScale(2, 6, 2);
  expect(r.pods).toBe(12);
  expect(r.runningPods).toBe(12);
  expect(r.probesOk).toBe(r.probes);
});

it('the scale section reports three sizes with growth ratios', async () => {
  const [t] = await findSection('sim-scale')!.run(ctx({ deployments: '8', workers: '4', replicas: '1' }));
  expect(t!.rows.map((r) => r[t!.columns.indexOf('pods')])).toEqual([2, 4, 8]);
  expect(String(t!.rows[1]![t!.columns.indexOf('growth ×')])).toMatch(/n log n/);
});

it.skipIf(!corpusAvailable())('the corpus section times each case it runs', async () => {
  const [t] = await findSection('sim-corpus')!.run(ctx({ reps: '1' }));
  expect(t!.rows.length).toBeGreaterThan(0);
  for (const r of t!.rows) expect(r[t!.columns.indexOf('objects after')]).toBeGreaterThan(20);
});

it('the grading section grades every lab solution in-process and reports its score', async () => {
  const [t] = await findSection('grading')!.run(ctx({ reps: '1', blocks: '2', cli: '0' }));
  expect(t!.rows.length).toBeGreaterThan(0);
  for (const r of t!.rows) {
    const [got, max] = String(r[t!.columns.indexOf('score')]).split('/').map(Number);
    expect(max).toBeGreaterThan(0);
    expect(got).toBe(max);
    const all = Number(r[t!.columns.indexOf('grade ms (median, all runs)')]);
    const best = Number(r[t!.columns.indexOf('grade ms (best block median)')]);
    const fastest = Number(r[t!.columns.indexOf('grade ms (min)')]);
    expect(fastest).toBeGreaterThan(0);
    // The fastest run is in some block, whose median is at least it; the best block is at most any block.
    expect(best).toBeGreaterThanOrEqual(fastest);
    expect(all).toBeGreaterThanOrEqual(fastest);
  }
  expect(t!.notes?.[0]).toMatch(/^target: in-process grading under 20 ms per lab \(best block median\)/);
});

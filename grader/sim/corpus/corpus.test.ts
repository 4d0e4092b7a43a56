/**
 * Real-world corpus conformance: every INDEX.md group applied alone to a fresh simulated kind
 * cluster must show what real kind shows (grader/sim/corpus/cases/*). A red case prints every
 * disagreement with real Kubernetes at once.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_CASES, V1BETA1_INGRESS_VARIANT } from './table.ts';
import { runCase } from './run.ts';
import { CORPUS_ROOT, corpusAvailable, loadFiles, newCluster } from './harness.ts';

describe.skipIf(!corpusAvailable())('real-world corpus on the simulator', () => {
  it('the table covers every group of INDEX.md', () => {
    const index = readFileSync(path.join(CORPUS_ROOT, 'INDEX.md'), 'utf8');
    const groups = [...index.matchAll(/^- \*\*(.+?)\*\*/gm)].map((m) => m[1]!).filter((g) => !/^(Name collisions|Selector overlap|Format edge cases|`_variants\/`)/.test(g));
    expect(groups.length).toBeGreaterThan(30);
    const covered = new Set(CORPUS_CASES.map((k) => k.group));
    expect(groups.filter((g) => !covered.has(g))).toEqual([]);
  });

  it('every corpus file outside _variants is used by some case', () => {
    const used = new Set(CORPUS_CASES.flatMap((k) => k.steps.flatMap((s) => s.files ?? [])));
    const files = (readdirSync(CORPUS_ROOT, { recursive: true }) as string[])
      .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('_variants'))
      .map((f) => f.split(path.sep).join('/'));
    expect(files.length).toBeGreaterThan(90);
    expect(files.filter((f) => !used.has(f))).toEqual([]);
  });

  for (const k of CORPUS_CASES) {
    it(`${k.group} — ${k.title}`, async () => {
      const { problems } = await runCase(k);
      expect(problems).toEqual([]);
    });
  }

  it('_variants: the v1beta1 example-ingress is rejected', async () => {
    const docs = await loadFiles([V1BETA1_INGRESS_VARIANT]);
    const r = newCluster({ ingress: true, pool: false }).apply(docs);
    expect(r.applied).toEqual([]);
    expect(r.failed.map((f) => f.message)).toEqual([expect.stringContaining('no matches for kind "Ingress" in version "networking.k8s.io/v1beta1"')]);
  });
});

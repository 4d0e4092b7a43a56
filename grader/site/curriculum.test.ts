import { describe, expect, it, afterAll } from 'vitest';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readConceptDescriptions } from './curriculum.ts';
import { tempDir } from './testing.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('readConceptDescriptions', () => {
  it('reads the description column for every id of a row, and nothing from other tables', async () => {
    const dir = await tempDir('curriculum');
    dirs.push(dir);
    const file = path.join(dir, 'curriculum.md');
    await writeFile(
      file,
      [
        '| # | Lab | Concept ids |',
        '|---|---|---|',
        '| 1 | `01-x` | dns |',
        '',
        '| Concept in the notes | Concept id | Labs → checks |',
        '|---|---|---|',
        '| Services have a stable `ClusterIP` | service-clusterip | 2 → *`secret-check`* |',
        '| Workloads and their parts | deployment, replicaset | 1 → `a` |',
      ].join('\n'),
    );
    const got = await readConceptDescriptions(file);
    expect([...got.entries()]).toEqual([
      ['service-clusterip', 'Services have a stable `ClusterIP`'],
      ['deployment', 'Workloads and their parts'],
      ['replicaset', 'Workloads and their parts'],
    ]);
  });

  it('is empty when the file is missing', async () => {
    expect((await readConceptDescriptions('/nonexistent/curriculum.md')).size).toBe(0);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { findSection, sections } from './sections.ts';
import { renderTable } from './table.ts';

it('renders aligned tables', () => {
  const text = renderTable({ title: 't', columns: ['name', 'n'], rows: [['a', 1.5], ['bbbb', 12]], notes: ['note'] });
  expect(text.split('\n')).toEqual(['t', 'name     n', '────  ────', 'a     1.50', 'bbbb    12', '  note']);
});

it('the batch section grades its generated class and reports one row per worker count', async () => {
  expect(sections.map((s) => s.name)).toContain('batch');
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'kubelab-bench-test-'));
  try {
    const [table] = await findSection('batch')!.run({ quick: true, options: { n: '9', grader: 'fake' }, tmpDir, log: () => {} });
    const col = (name: string) => table!.columns.indexOf(name);
    expect(table!.rows.length).toBeGreaterThanOrEqual(1);
    for (const r of table!.rows) {
      expect(r[col('submissions')]).toBe(9);
      expect(r[col('graded')]).toBe(9);
      expect(r[col('errors')]).toBe(0);
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
});

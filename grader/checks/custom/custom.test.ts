import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runOne } from '../fixtures/run-check.ts';

const labDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

describe('custom check', () => {
  it('runs the module through the API and keeps its evidence', async () => {
    const r = await runOne({ type: 'custom', module: 'custom-checks/clusterip-dns.ts' }, { labDir });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('web.default resolves to 10.96.0.12');
    expect(r.evidence[0]).toMatchObject({ path: 'dns web.default', expected: ['10.96.0.12'], observed: ['10.96.0.12'] });
  });
  it('passes options and reports the module failure message with the hint', async () => {
    const r = await runOne({ type: 'custom', module: 'custom-checks/clusterip-dns.ts', options: { service: 'api' } }, { labDir });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('there is no Service api');
    expect(r.hint).toBe('Think about it.');
  });
  it('turns a module without an outcome into an error status', async () => {
    const r = await runOne({ type: 'custom', module: 'custom-checks/no-outcome.ts' }, { labDir });
    expect(r.status).toBe('error');
    expect(r.message).toContain('returned no outcome');
  });
  it('reports a missing module as a lab definition problem', async () => {
    await expect(runOne({ type: 'custom', module: 'custom-checks/missing.ts' }, { labDir })).rejects.toThrow(/custom check module custom-checks\/missing.ts does not exist/);
  });
});

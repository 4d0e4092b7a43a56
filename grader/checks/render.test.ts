import { describe, expect, it } from 'vitest';
import { renderReport } from './render.ts';
import type { Report } from './report.ts';

const report: Report = {
  lab: { id: 2, slug: 'clusterip-dns', title: 'ClusterIP and DNS' },
  backend: 'sim',
  seed: 1,
  score: 2,
  maxScore: 4,
  durationMs: 12,
  apply: { applied: 2, errors: [{ file: 'svc.yaml', line: 3, message: 'The Service "web" is invalid: spec.ports[0].port: Required value' }], warnings: [] },
  checks: [
    { id: 'svc', title: 'Service exists', status: 'pass', points: 2, maxPoints: 2, hidden: false, message: 'Service default/web exists', evidence: [] },
    {
      id: 'dns', title: 'web resolves', status: 'fail', points: 0, maxPoints: 1, hidden: false,
      message: 'NXDOMAIN for web from namespace default: no Service named web exists in any namespace', hint: 'Check the name.',
      evidence: [{ path: 'dns web A from a client pod in namespace default', expected: ['10.96.0.12'], observed: 'NXDOMAIN', trace: [{ component: 'dns', detail: 'CoreDNS 10.96.0.10' }] }],
    },
    { id: 'secret-check', title: 'Secret thing', status: 'fail', points: 0, maxPoints: 1, hidden: true, message: 'the secret detail', hint: 'secret hint', evidence: [] },
  ],
};

describe('renderReport', () => {
  const text = renderReport(report, { color: false, explain: false });
  it('lists rejected objects, each check with points, failures with evidence and hint, and the total', () => {
    expect(text).toContain('svc.yaml:3: The Service "web" is invalid');
    expect(text).toMatch(/✓ svc\s+Service exists\s+2\/2/);
    expect(text).toMatch(/✗ dns\s+web resolves\s+0\/1/);
    expect(text).toContain('    NXDOMAIN for web from namespace default');
    expect(text).toContain('• dns web A from a client pod in namespace default: expected ["10.96.0.12"], observed NXDOMAIN');
    expect(text).toContain('hint: Check the name.');
    expect(text).toContain('Score: 2/4 — 2 checks to go.');
  });
  it('shows hidden checks only as "hidden check" with points', () => {
    expect(text).toMatch(/✗\s+hidden check\s+0\/1/);
    expect(text).not.toContain('secret');
    expect(text).toContain('1 hidden check failed');
    expect(renderReport(report, { color: false, explain: false, showHidden: true })).toContain('secret hint');
  });
  it('adds traces with --explain, and colours only when asked', () => {
    expect(text).not.toContain('CoreDNS 10.96.0.10');
    expect(renderReport(report, { color: false, explain: true })).toContain('dns: CoreDNS 10.96.0.10');
    expect(text).not.toContain('\x1b[');
    expect(renderReport(report, { color: true, explain: false })).toContain('\x1b[');
  });
});

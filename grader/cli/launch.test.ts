import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const launch = path.join(root, 'grader', 'cli', 'launch.mjs');

describe('launch.mjs (what `npm run lab` runs)', () => {
  it('builds the bundle when needed and grades through it like the TypeScript entry', () => {
    const out = execFileSync(process.execPath, [launch, 'lab', '1', '--solution', '--json'], { cwd: root, encoding: 'utf8' });
    const report = JSON.parse(out);
    expect(report.lab.id).toBe(1);
    expect(report.score).toBe(report.maxScore);
  });

  it('runs a lab\'s TypeScript custom check on plain Node', () => {
    const out = execFileSync(process.execPath, [launch, 'lab', '5', '--solution', '--json'], { cwd: root, encoding: 'utf8' });
    const report = JSON.parse(out);
    expect(report.checks.some((c: { id: string; status: string }) => c.id === 'tier-endpoints' && c.status === 'pass')).toBe(true);
  });

  it('refuses an unknown command with exit code 2', () => {
    const r = spawnSync(process.execPath, [launch, 'nope'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/launch\.mjs runs one of: lab/);
  });
});

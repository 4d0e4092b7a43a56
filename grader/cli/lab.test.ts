/**
 * The CLI as students run it: a child process, checked by exit code and output.
 * Bad input must exit 2 with a message naming the file (and line) and what to do, with no
 * stack trace; grading exits 0 when all checks pass and 1 otherwise.
 */
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const fx = (p: string) => path.join(here, 'fixtures', p);

async function lab(args: string[], env: Record<string, string> = {}) {
  const r = await execa('node', ['--import', 'tsx', path.join(root, 'grader/cli/lab.ts'), ...args], {
    cwd: root,
    reject: false,
    env: { NO_COLOR: '1', KUBELAB_WORK_DIR: mkdtempSync(path.join(tmpdir(), 'kubelab-work-')), ...env },
  });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('npm run lab: bad input exits 2 with a clear message', () => {
  it('broken YAML in the submission names the file and line', async () => {
    const r = await lab(['--lab-dir', fx('90-fixture-web'), '--submission', fx('broken-yaml-submission')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/app\.yaml:\d+/);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });
  it('an unknown field in lab.yaml names the field, the file and the line', async () => {
    const r = await lab(['--lab-dir', fx('bad-field-lab'), '--solution']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-field-lab/lab.yaml:12');
    expect(r.stderr).toContain('checks.0.pointz: unknown field "pointz"');
    expect(r.stderr).toContain('hint: see docs/lab.schema.json');
    noStack(r.stderr);
  });
  it('a check naming a missing module is a lab definition error with its line', async () => {
    const r = await lab(['--lab-dir', fx('missing-ref-lab'), '--solution']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing-ref-lab/lab.yaml:17');
    expect(r.stderr).toContain('custom check module checks/does-not-exist.ts does not exist in the lab folder');
    noStack(r.stderr);
  });
  it('an empty submission folder says there are no manifests', async () => {
    const r = await lab(['--lab-dir', fx('90-fixture-web'), '--submission', fx('empty-submission')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no manifests (.yaml, .yml or .json files) found in this folder');
    expect(r.stderr).toContain('hint:');
    noStack(r.stderr);
  });
  it('an unknown lab number lists the labs there are', async () => {
    const r = await lab(['999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('there is no lab "999"');
    expect(r.stderr).toContain('npm run lab');
    noStack(r.stderr);
  });
  it('a missing submission folder, an unknown option and a bad seed are usage errors', async () => {
    const missing = await lab(['--lab-dir', fx('90-fixture-web'), '--submission', fx('nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const opt = await lab(['1', '--colour']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("unknown option '--colour'");
    const seed = await lab(['1', '--seed', 'abc']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain('the seed is a whole number');
  });
});

describe('npm run lab: workspace and grading', () => {
  it('the first run copies the starter and says where to edit and read', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'kubelab-work-'));
    const r = await lab(['--lab-dir', fx('90-fixture-web')], { KUBELAB_WORK_DIR: work });
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(work, '90-fixture-web'))).toEqual(['app.yaml']);
    expect(r.stdout).toContain('90-fixture-web/README.md');
    expect(r.stdout).toContain(`Edit your manifests in:  ${path.join(work, '90-fixture-web')}/`);
  });
  it('grades the solution of a lab outside labs/ with full marks (exit 0)', async () => {
    const r = await lab(['--lab-dir', fx('90-fixture-web'), '--solution']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ service-ports');
    expect(r.stdout).toContain('hidden check');
    expect(r.stdout).toContain('Score: 5/5 — all checks pass.');
  });
  it('explains a failure with evidence and the hint, hides hidden checks, exits 1', async () => {
    const r = await lab(['--lab-dir', fx('90-fixture-web'), '--submission', fx('90-fixture-web/mutants/wrong-target-port')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Service default/web has spec.ports[0].targetPort = 8080, expected 80');
    expect(r.stdout).toContain('hint: The Service\'s targetPort is the port the container listens on.');
    expect(r.stdout).not.toContain('Every ready pod behind the Service gets traffic.');
    expect(r.stdout).toContain('1 hidden check failed');
  });
  it('--json prints only the report, with hidden checks redacted', async () => {
    const r = await lab(['--lab-dir', fx('90-fixture-web'), '--submission', fx('90-fixture-web/mutants/wrong-selector'), '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.lab).toEqual({ id: 90, slug: 'fixture-web', title: 'Fixture — nginx behind a ClusterIP Service' });
    expect(report.checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual(['service-ports:pass', 'dns-name:pass', 'http:fail', 'hidden-1:fail']);
    expect(report.score).toBe(3);
    expect(report.maxScore).toBe(5);
  });
  it('the same seed gives the same JSON report apart from durationMs', async () => {
    const args = ['--lab-dir', fx('90-fixture-web'), '--submission', fx('90-fixture-web/mutants/wrong-selector'), '--json', '--seed', '5', '--show-hidden'];
    const [a, b] = [await lab(args), await lab(args)];
    const strip = (s: string) => ({ ...JSON.parse(s), durationMs: 0 });
    expect(strip(a.stdout)).toEqual(strip(b.stdout));
    expect(existsSync(fx('90-fixture-web/solution'))).toBe(true);
  });
});

/**
 * `npm run lab -- N --watch`: grades at once, again after each save, shows bad input and keeps
 * watching, and exits 0 on Ctrl-C. Run as a child process, as a student runs it.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const fixtureLab = path.join(here, 'fixtures', '90-fixture-web');

/** Resolves when `test` holds for the text seen so far; rejects after `ms` with what was seen. */
function waitFor(read: () => string, test: (s: string) => boolean, what: string, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      if (test(read())) {
        clearInterval(tick);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(tick);
        reject(new Error(`timed out waiting for ${what}; output so far:\n${read()}`));
      }
    }, 50);
  });
}

/** Pretty-printed JSON reports, one after another on stdout. */
const reports = (s: string): { score: number; maxScore: number }[] =>
  s.split(/^}\n/m).slice(0, -1).map((chunk) => JSON.parse(`${chunk}}`));

describe('npm run lab --watch', () => {
  it('re-grades on save, survives a broken file, and stops cleanly on SIGINT', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'kubelab-watch-'));
    copyFileSync(path.join(fixtureLab, 'starter', 'app.yaml'), path.join(work, 'app.yaml'));
    const child = execa('node', ['--import', 'tsx', path.join(root, 'grader/cli/lab.ts'), '--lab-dir', fixtureLab, '--submission', work, '--watch', '--json'], {
      cwd: root,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await waitFor(() => err, (s) => s.includes('watching'), 'the first grade');
      const first = reports(out);
      expect(first).toHaveLength(1);
      expect(first[0]!.score).toBeLessThan(first[0]!.maxScore);

      // A broken save is reported (file and line) and watching goes on.
      writeFileSync(path.join(work, 'app.yaml'), 'kind: Service\nmetadata: [unclosed\n');
      await waitFor(() => err, (s) => /app\.yaml:\d+/.test(s) && s.split('watching').length >= 3, 'the error for the broken file');
      expect(err).not.toMatch(/\n\s+at .+:\d+:\d+/);

      // Saving the reference solution brings full marks.
      copyFileSync(path.join(fixtureLab, 'solution', 'app.yaml'), path.join(work, 'app.yaml'));
      await waitFor(() => out, (s) => reports(s).some((r) => r.score === r.maxScore), 'a full-marks grade');
      child.kill('SIGINT');
      const r = await child;
      expect(r.exitCode).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});

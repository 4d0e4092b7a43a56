/** Paths and helpers shared by the site's tests (fixture labs, repo templates and assets). */
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SiteOptions } from './build.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtureLabs = path.join(repoRoot, 'grader', 'site', 'fixtures', 'labs');
export const brokenLab = path.join(repoRoot, 'grader', 'site', 'fixtures', 'broken', '04-broken');
export const realLabs = path.join(repoRoot, 'labs');
export const fixtureCurriculum = path.join(repoRoot, 'grader', 'site', 'fixtures', 'curriculum.md');
export const realCurriculum = path.join(repoRoot, 'docs', 'curriculum.md');

/** Build options with the repo's templates and assets; the curriculum defaults to the fixture one. */
export function siteOptions(labsRoot: string, outDir: string, conceptsFile = labsRoot === realLabs ? realCurriculum : fixtureCurriculum): SiteOptions {
  return { labsRoot, outDir, conceptsFile, templatesDir: path.join(repoRoot, 'templates'), assetsDir: path.join(repoRoot, 'site') };
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `kubelab-${prefix}-`));
}

/** A labs root holding the fixture labs plus the broken one. */
export async function labsWithBroken(): Promise<string> {
  const root = await tempDir('labs');
  await cp(fixtureLabs, root, { recursive: true });
  await cp(brokenLab, path.join(root, path.basename(brokenLab)), { recursive: true });
  return root;
}

/** Every file under dir (posix relative path → bytes). */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const ent of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!ent.isFile()) continue;
    const abs = path.join(ent.parentPath, ent.name);
    out.set(path.relative(dir, abs).split(path.sep).join('/'), await readFile(abs));
  }
  return out;
}

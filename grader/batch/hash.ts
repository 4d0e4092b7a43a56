/**
 * Content hashes that decide whether a submission must be graded again: the submission's
 * manifests, the lab folder, and the grader's own source (so a fixed grader re-grades).
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, lstat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { byCodePoint } from './names.ts';

/** Hash of (relative path, content hash) pairs, order-independent. */
export function hashFileList(files: { rel: string; sha256: string }[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => byCodePoint(a.rel, b.rel))) h.update(`${f.rel}\0${f.sha256}\n`);
  return h.digest('hex');
}

/** Hash of every regular file below `dir` (hidden entries and node_modules skipped). */
export async function hashFolder(dir: string, include: (rel: string) => boolean = () => true): Promise<string> {
  const files: { rel: string; sha256: string }[] = [];
  async function walk(abs: string, rel: string): Promise<void> {
    for (const name of (await readdir(abs)).sort(byCodePoint)) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = await lstat(p);
      if (st.isDirectory()) await walk(p, r);
      else if (st.isFile() && include(r)) files.push({ rel: r, sha256: createHash('sha256').update(await readFile(p)).digest('hex') });
    }
  }
  await walk(dir, '');
  return hashFileList(files);
}

const graderRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `<package version>+<hash of grader/**.ts>`: any change to the grader's code (simulator,
 * checks) changes the version, so resumed batches never mix grades of two graders.
 */
export async function graderVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(graderRoot, '..', 'package.json'), 'utf8')) as { version: string };
  const src = await hashFolder(graderRoot, (rel) => rel.endsWith('.ts') && !rel.endsWith('.test.ts'));
  return `${pkg.version}+${src.slice(0, 12)}`;
}

/** The cache key of one grading: same key, same result. */
export function gradeKey(parts: { contentHash: string; labHash: string; seed: number; graderVersion: string; backend: string }): string {
  return createHash('sha256').update(JSON.stringify([parts.contentHash, parts.labHash, parts.seed, parts.graderVersion, parts.backend])).digest('hex');
}

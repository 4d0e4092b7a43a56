/**
 * Lists a lab's starter folder for publishing: every regular file, sorted by path with a
 * plain code-unit comparison (not locale-aware), so output order is the same on every machine.
 */
import { readdir, readFile, lstat } from 'node:fs/promises';
import path from 'node:path';

export interface StarterFile {
  /** Path inside starter/, with forward slashes: `web.yaml`, `extra/db.yaml`. */
  rel: string;
  bytes: Buffer;
}

/** Editor and OS litter that is never part of a starter. */
const ignored = new Set(['.DS_Store', 'Thumbs.db']);

export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function listStarter(dir: string): Promise<StarterFile[]> {
  const out: StarterFile[] = [];
  async function walk(abs: string, rel: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(abs);
    } catch {
      return; // no starter folder: the lab starts from nothing
    }
    for (const name of names.sort(byPath)) {
      if (ignored.has(name)) continue;
      const childAbs = path.join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      const st = await lstat(childAbs);
      // Symlinks are skipped on purpose: they could point outside the lab.
      if (st.isDirectory()) await walk(childAbs, childRel);
      else if (st.isFile()) out.push({ rel: childRel, bytes: await readFile(childAbs) });
    }
  }
  await walk(dir, '');
  return out.sort((a, b) => byPath(a.rel, b.rel));
}

/** Text files are shown inline; binaries only get their download link. */
export function isText(bytes: Buffer): boolean {
  return !bytes.subarray(0, 8000).includes(0);
}

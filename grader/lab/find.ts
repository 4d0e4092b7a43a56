/**
 * Finding a lab the way students name it: `3`, `03`, `03-clusterip-dns` or `clusterip-dns`.
 * A lab whose lab.yaml is broken is reported with its own error (file:line), not as missing.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { type Lab, listLabs, loadLab } from './load.ts';

export async function findLab(labsRoot: string, name: string): Promise<Lab> {
  const wanted = name.trim();
  const asNumber = /^\d+$/.test(wanted) ? Number(wanted) : undefined;
  // Fast path: the folder name usually says the id and slug, so load only that lab. Its
  // lab.yaml still decides: a folder whose id or slug differs falls through to the full scan.
  const guess = await guessFolder(labsRoot, wanted, asNumber);
  if (guess) {
    try {
      const lab = await loadLab(path.join(labsRoot, guess));
      if (asNumber !== undefined ? lab.spec.id === asNumber : lab.spec.slug === wanted || lab.folder === wanted) return lab;
    } catch {
      // Broken or mismatched: the full scan below reports it properly.
    }
  }
  const { labs, errors } = await listLabs(labsRoot);
  const hit = labs.find((l) => (asNumber !== undefined ? l.spec.id === asNumber : l.spec.slug === wanted || l.folder === wanted));
  if (hit) return hit;
  // A broken lab folder that looks like the one asked for: show why it does not load.
  const broken = errors.find(({ folder }) => {
    const m = /^(\d+)-(.*)$/.exec(folder);
    return folder === wanted || m?.[2] === wanted || (asNumber !== undefined && Number(m?.[1]) === asNumber);
  });
  if (broken) throw broken.error;
  const ids = labs.map((l) => l.spec.id);
  const known = ids.length ? `the labs are ${ids.join(', ')}` : `there are no labs in ${path.relative(process.cwd(), labsRoot) || labsRoot}`;
  throw new UsageError(`there is no lab "${name}": ${known}`, 'run `npm run lab` to list the labs, then `npm run lab N`');
}

async function guessFolder(labsRoot: string, wanted: string, asNumber: number | undefined): Promise<string | undefined> {
  let entries: string[];
  try {
    entries = (await readdir(labsRoot)).sort();
  } catch {
    return undefined;
  }
  const hits = entries.filter((folder) => {
    const m = /^(\d+)-(.*)$/.exec(folder);
    if (!m) return false;
    return folder === wanted || m[2] === wanted || (asNumber !== undefined && Number(m[1]) === asNumber);
  });
  return hits.length === 1 ? hits[0] : undefined;
}

export { listLabs, loadLab };

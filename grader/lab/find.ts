/**
 * Finding a lab the way students name it: `3`, `03`, `03-clusterip-dns` or `clusterip-dns`.
 * A lab whose lab.yaml is broken is reported with its own error (file:line), not as missing.
 */
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { type Lab, listLabs, loadLab } from './load.ts';

export async function findLab(labsRoot: string, name: string): Promise<Lab> {
  const { labs, errors } = await listLabs(labsRoot);
  const wanted = name.trim();
  const asNumber = /^\d+$/.test(wanted) ? Number(wanted) : undefined;
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

export { listLabs, loadLab };

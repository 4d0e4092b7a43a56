/**
 * Collects the manifests of a folder submission (a student folder or a git checkout) into a
 * staging folder. Manifests may sit anywhere below the root. The walk never follows links:
 * a symbolic link or a hard-linked manifest could expose files outside the submission, so it
 * is refused. Files are opened with O_NOFOLLOW so a link swapped in after the check still fails.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { SubmissionProblem, formatBytes, type SubmissionLimits } from './limits.ts';
import { acceptManifest, isManifestPath, isWalkedFolder } from './manifest-files.ts';
import { writeStaged, type StagedFile } from './archive/stage.ts';

export interface Collected {
  files: StagedFile[];
  /** Latest modification time of a manifest, for lateness without git. */
  latestMtimeMs?: number;
}

async function readNoFollow(abs: string, max: number): Promise<Buffer> {
  const fh = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n > max) break;
    }
    return buf.subarray(0, n);
  } finally {
    await fh.close();
  }
}

export async function collectFolder(root: string, dest: string, limits: SubmissionLimits): Promise<Collected> {
  const files: StagedFile[] = [];
  let latestMtimeMs: number | undefined;
  let walked = 0;

  async function walk(dir: string, relDir: string, depth: number): Promise<void> {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      if (++walked > limits.maxWalkEntries) {
        throw new SubmissionProblem(`the submission has more than ${limits.maxWalkEntries} files and folders`, 'submit only your manifests, not build output or dependencies');
      }
      const abs = path.join(dir, name);
      const rel = relDir ? `${relDir}/${name}` : name;
      const st = await lstat(abs);
      if (st.isDirectory()) {
        if (!isWalkedFolder(name)) continue;
        if (depth + 1 >= limits.maxDepth) throw new SubmissionProblem(`${rel}/ is nested more than ${limits.maxDepth} folders deep`, 'keep manifests in a shallow folder structure');
        await walk(abs, rel, depth + 1);
        continue;
      }
      if (!isManifestPath(rel)) continue;
      if (st.isSymbolicLink()) throw new SubmissionProblem(`${rel} is a symbolic link; links could point outside the submission`, `replace ${rel} by a copy of the file`);
      if (!st.isFile()) throw new SubmissionProblem(`${rel} is not a regular file`, `remove ${rel}`);
      if (st.nlink > 1) throw new SubmissionProblem(`${rel} is a hard link to another file; links could expose files outside the submission`, `replace ${rel} by a copy of the file`);
      if (st.size > limits.maxFileBytes) {
        throw new SubmissionProblem(`${rel} is ${formatBytes(st.size)}, over the ${formatBytes(limits.maxFileBytes)} limit for one manifest`, 'submit only your manifests; a lab needs a few kilobytes of YAML');
      }
      if (files.length >= limits.maxManifests) throw new SubmissionProblem(`the submission holds more than ${limits.maxManifests} manifest files`, 'submit only the manifests the lab asks for');
      const bytes = await readNoFollow(abs, limits.maxFileBytes);
      acceptManifest(rel, bytes, limits);
      files.push(await writeStaged(dest, rel, bytes));
      latestMtimeMs = Math.max(latestMtimeMs ?? 0, st.mtimeMs);
    }
  }

  await walk(root, '', 0);
  return { files, latestMtimeMs };
}

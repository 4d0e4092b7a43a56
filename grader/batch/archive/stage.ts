/** Writing accepted manifests into a submission's staging folder. */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SubmissionProblem } from '../limits.ts';

export interface StagedFile {
  /** Relative path, forward slashes. */
  rel: string;
  /** sha256 of the content, hex. */
  sha256: string;
}

/**
 * Writes `bytes` at `dest/rel`. `rel` was validated (no `..`, not absolute) and `dest` is a
 * fresh folder the batch created, so no path component can be a link planted by the student.
 * `wx` refuses duplicates: an archive listing a file twice is ambiguous about which one counts.
 */
export async function writeStaged(dest: string, rel: string, bytes: Uint8Array): Promise<StagedFile> {
  const abs = path.join(dest, ...rel.split('/'));
  try {
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, bytes, { flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new SubmissionProblem(`the archive contains ${rel} twice`, 'keep one copy of each file');
    if (code === 'ENOTDIR' || code === 'EISDIR') throw new SubmissionProblem(`the archive uses ${rel} both as a file and as a folder`, 'rename one of them');
    throw err;
  }
  return { rel, sha256: createHash('sha256').update(bytes).digest('hex') };
}

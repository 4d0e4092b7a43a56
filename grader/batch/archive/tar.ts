/**
 * Extracts the manifests of a `.tar.gz`/`.tgz` submission. We decompress ourselves (zlib) so
 * the uncompressed byte count and compression ratio are checked as data flows, and feed the
 * tar stream to node-tar's Parser only to read headers: nothing is written by tar itself, so
 * links, devices and paths outside the folder are refused before any write.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { SubmissionProblem, formatBytes, type SubmissionLimits } from '../limits.ts';
import { acceptManifest, isManifestPath } from '../manifest-files.ts';
import { validateEntryPath } from './entry-path.ts';
import { writeStaged, type StagedFile } from './stage.ts';

const fileTypes = new Set(['File', 'OldFile', 'ContiguousFile']);

export async function extractTarGz(file: string, dest: string, limits: SubmissionLimits): Promise<StagedFile[]> {
  const { size: archiveBytes } = await stat(file);
  const staged: Promise<StagedFile>[] = [];
  let problem: unknown;
  let entries = 0;
  let manifests = 0;
  /** Fails the reads of entries that never end because we stopped early. */
  const cutShort: (() => void)[] = [];
  const parser = new Parser({ strict: true });

  const refuse = (p: unknown) => {
    problem ??= p;
  };

  parser.on('entry', (entry: ReadEntry) => {
    if (problem) return entry.resume();
    try {
      if (++entries > limits.maxEntries) throw new SubmissionProblem(`the archive has more than ${limits.maxEntries} entries`, 'submit only your manifests, not build output or dependencies');
      const rel = validateEntryPath(dest, entry.path, limits.maxDepth);
      if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
        throw new SubmissionProblem(`archive entry ${JSON.stringify(entry.path)} is a ${entry.type === 'Link' ? 'hard' : 'symbolic'} link; links could point outside the submission`, 'replace links by copies of the files');
      }
      if (entry.type === 'Directory') return entry.resume();
      if (!fileTypes.has(entry.type)) throw new SubmissionProblem(`archive entry ${JSON.stringify(entry.path)} is a ${entry.type}, not a regular file`, 'submit regular files only');
      if (!isManifestPath(rel)) return entry.resume();
      if (++manifests > limits.maxManifests) throw new SubmissionProblem(`the archive holds more than ${limits.maxManifests} manifest files`, 'submit only the manifests the lab asks for');
      if (entry.size > limits.maxFileBytes) {
        throw new SubmissionProblem(`${rel} is ${formatBytes(entry.size)}, over the ${formatBytes(limits.maxFileBytes)} limit for one manifest`, 'submit only your manifests; a lab needs a few kilobytes of YAML');
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      const read = new Promise<Buffer>((resolve, reject) => {
        entry.on('end', () => resolve(Buffer.concat(chunks)));
        cutShort.push(() => reject(new SubmissionProblem(`${rel} is cut short`)));
      });
      staged.push(
        read.then((bytes) => {
          acceptManifest(rel, bytes, limits);
          return writeStaged(dest, rel, bytes);
        }),
      );
    } catch (err) {
      refuse(err);
      entry.resume();
    }
  });
  parser.on('error', (err: Error) => refuse(new SubmissionProblem(`the tar archive is damaged (${err.message})`, 'download it again or re-create it with `tar czf`')));

  const input = createReadStream(file);
  const gunzip = createGunzip();
  let out = 0;
  try {
    for await (const chunk of input.pipe(gunzip) as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (out > limits.maxTotalBytes) throw new SubmissionProblem(`the archive unpacks to more than ${formatBytes(limits.maxTotalBytes)}`, 'submit only your manifests');
      if (out > limits.ratioFloorBytes && out / Math.max(1, archiveBytes) > limits.maxRatio) {
        throw new SubmissionProblem(`the archive expands more than ${limits.maxRatio} times its size (a compression bomb)`, 'submit an ordinary archive of your manifests');
      }
      parser.write(chunk);
      if (problem) break;
    }
    if (!problem) {
      await new Promise<void>((resolve) => {
        parser.once('end', () => resolve());
        parser.once('error', () => resolve());
        parser.end();
      });
    }
  } catch (err) {
    refuse(
      err instanceof SubmissionProblem
        ? err
        : new SubmissionProblem(`the archive is not a gzip-compressed tar file (${(err as Error).message})`, 'create it with `tar czf lab.tar.gz .` or submit a .zip'),
    );
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  // Every started write settles before we return, so none can land after the caller cleans
  // up. Entries that ended are unaffected; any that never will (we stopped early) fail here.
  for (const cut of cutShort) cut();
  const results = await Promise.allSettled(staged);
  if (problem) throw problem;
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<StagedFile>).value).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

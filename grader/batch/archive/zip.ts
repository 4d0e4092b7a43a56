/**
 * Extracts the manifests of a `.zip` submission with yauzl. Every entry is checked before
 * anything is read or written: its path stays inside the folder, it is a regular file or a
 * folder (no links), and the archive's entry count, total size and compression ratio stay
 * within limits. Only manifest files are decompressed, each bounded by the per-file limit.
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { SubmissionProblem, formatBytes, type SubmissionLimits } from '../limits.ts';
import { acceptManifest, isManifestPath } from '../manifest-files.ts';
import { validateEntryPath } from './entry-path.ts';
import { writeStaged, type StagedFile } from './stage.ts';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings stays on so yauzl also refuses `..`/absolute names; we translate its errors.
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, zf) => (err ? reject(err) : resolve(zf)));
  });
}

/** yauzl's own refusals, reworded for a student. */
function translate(err: unknown): unknown {
  if (err instanceof SubmissionProblem) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const hint = 're-create the archive from inside your submission folder (e.g. `zip -r ../lab.zip .`)';
  if (/^absolute path: /.test(msg)) return new SubmissionProblem(`archive entry "${msg.slice(15)}" has an absolute path, which would write outside the submission`, hint);
  if (/^invalid relative path: /.test(msg)) return new SubmissionProblem(`archive entry "${msg.slice(23)}" climbs out of its folder with "..", which would write outside the submission`, hint);
  if (/^invalid characters in fileName: /.test(msg)) return new SubmissionProblem(`archive entry "${msg.slice(33)}" uses backslashes in its path`, hint);
  if (/encrypted/i.test(msg)) return new SubmissionProblem('the zip archive is password-protected', 'submit an archive without a password');
  return new SubmissionProblem(`the zip archive is damaged or not a zip file (${msg})`, 'download it again or re-create it with `zip -r`');
}

async function readBounded(stream: Readable, max: number, rel: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > max) {
      stream.destroy();
      throw new SubmissionProblem(`${rel} decompresses to more than ${formatBytes(max)}, over the limit for one manifest`, 'submit only your manifests');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function extractZip(file: string, dest: string, limits: SubmissionLimits): Promise<StagedFile[]> {
  const { size: archiveBytes } = await stat(file);
  let zf: yauzl.ZipFile;
  try {
    zf = await openZip(file);
  } catch (err) {
    throw translate(err);
  }
  try {
    if (zf.entryCount > limits.maxEntries) {
      throw new SubmissionProblem(`the archive has ${zf.entryCount} entries, over the limit of ${limits.maxEntries}`, 'submit only your manifests, not build output or dependencies');
    }
    const staged: StagedFile[] = [];
    let declaredTotal = 0;
    let manifests = 0;
    await new Promise<void>((resolve, reject) => {
      const fail = (err: unknown) => reject(translate(err));
      zf.on('error', fail);
      zf.on('end', () => resolve());
      zf.on('entry', (entry: yauzl.Entry) => {
        (async () => {
          const name = entry.fileName;
          const isDirName = name.endsWith('/');
          const rel = validateEntryPath(dest, name, limits.maxDepth);
          const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
          if (type === S_IFLNK) throw new SubmissionProblem(`archive entry ${JSON.stringify(name)} is a symbolic link; links could point outside the submission`, 'replace links by copies of the files');
          if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) throw new SubmissionProblem(`archive entry ${JSON.stringify(name)} is not a regular file or folder`, 'submit regular files only');
          declaredTotal += entry.uncompressedSize;
          if (declaredTotal > limits.maxTotalBytes) {
            throw new SubmissionProblem(`the archive unpacks to more than ${formatBytes(limits.maxTotalBytes)}`, 'submit only your manifests');
          }
          if (declaredTotal > limits.ratioFloorBytes && declaredTotal / Math.max(1, archiveBytes) > limits.maxRatio) {
            throw new SubmissionProblem(`the archive expands more than ${limits.maxRatio} times its size (a compression bomb)`, 'submit an ordinary archive of your manifests');
          }
          if (!isDirName && type !== S_IFDIR && isManifestPath(rel)) {
            if (++manifests > limits.maxManifests) throw new SubmissionProblem(`the archive holds more than ${limits.maxManifests} manifest files`, 'submit only the manifests the lab asks for');
            if (entry.uncompressedSize > limits.maxFileBytes) {
              throw new SubmissionProblem(`${rel} is ${formatBytes(entry.uncompressedSize)}, over the ${formatBytes(limits.maxFileBytes)} limit for one manifest`, 'submit only your manifests; a lab needs a few kilobytes of YAML');
            }
            const stream = await zf.openReadStreamPromise(entry);
            const bytes = await readBounded(stream, limits.maxFileBytes, rel);
            acceptManifest(rel, bytes, limits);
            staged.push(await writeStaged(dest, rel, bytes));
          }
          zf.readEntry();
        })().catch(fail);
      });
      zf.readEntry();
    });
    return staged.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  } finally {
    zf.close();
  }
}

/**
 * The starter as one .zip. Bytes are deterministic: entries sorted, fixed timestamp and mode,
 * and no extended-timestamp field (yazl would otherwise store the mtime as UTC seconds,
 * which varies with the build machine's time zone for a local-time Date).
 */
import yazl from 'yazl';
import type { StarterFile } from './files.ts';
import { byPath } from './files.ts';

/** 1980-01-01 00:00 in local time: the DOS epoch, so the stored date is the same in every zone. */
const fixedTime = new Date(1980, 0, 1, 0, 0, 0);

export function zipStarter(prefix: string, files: StarterFile[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of [...files].sort((a, b) => byPath(a.rel, b.rel))) {
    zip.addBuffer(f.bytes, `${prefix}/${f.rel}`, { mtime: fixedTime, mode: 0o100644, forceDosTimestamp: true, compress: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

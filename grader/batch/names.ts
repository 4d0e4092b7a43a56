/** Student names from submission entries, and their file-system-safe keys. */
import { createHash } from 'node:crypto';

const archiveExt = /\.(zip|tar\.gz|tgz)$/i;

export function archiveKind(fileName: string): 'zip' | 'tar' | undefined {
  const m = archiveExt.exec(fileName);
  if (!m) return undefined;
  return m[1]!.toLowerCase() === 'zip' ? 'zip' : 'tar';
}

/** `alice.zip` → `alice`, `lab3-bob.tar.gz` → `lab3-bob`; folder names stay as they are. */
export function studentName(entryName: string, isDir: boolean): string {
  return isDir ? entryName : entryName.replace(archiveExt, '');
}

/**
 * A name safe as a file name on every platform: letters, digits, `.`, `_`, `-`. Names that had
 * to change get a short hash so two students never share a file.
 */
export function fileKey(student: string): string {
  const safe = student.normalize('NFC').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 80);
  if (safe === student && safe.length > 0) return safe;
  return `${safe || 'student'}-${createHash('sha256').update(student).digest('hex').slice(0, 8)}`;
}

/** Plain code-point order, the same on every machine and locale. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

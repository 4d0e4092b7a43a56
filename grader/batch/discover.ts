/**
 * Lists the SUBMISSIONS folder: one source per student folder, git checkout or archive.
 * Reads directory entries only (no file contents). Hidden entries are skipped; so is the run's
 * own output folder when it lies inside SUBMISSIONS.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { archiveKind, byCodePoint, studentName } from './names.ts';
import type { SubmissionSource } from './types.ts';

export interface Discovery {
  sources: SubmissionSource[];
  /** Entries that are neither folders nor archives (e.g. notes.txt), by name. */
  ignored: string[];
}

export async function discoverSubmissions(root: string, exclude: string[] = []): Promise<Discovery> {
  const abs = path.resolve(root);
  let isDir = false;
  try {
    isDir = (await stat(abs)).isDirectory();
  } catch {
    throw new UsageError(`submissions folder ${root} does not exist`, 'give the folder that holds one folder or archive per student');
  }
  if (!isDir) throw new UsageError(`${root} is not a folder`, 'give the folder that holds one folder or archive per student');
  const skip = new Set(exclude.map((p) => path.resolve(p)));
  const sources: SubmissionSource[] = [];
  const ignored: string[] = [];
  for (const name of (await readdir(abs)).sort(byCodePoint)) {
    if (name.startsWith('.')) continue;
    const p = path.join(abs, name);
    if (skip.has(p)) continue;
    const st = await lstat(p);
    if (st.isSymbolicLink()) {
      sources.push({ student: studentName(name, !archiveKind(name)), kind: archiveKind(name) ?? 'dir', path: p, problem: { message: `${name} is a symbolic link, which could point outside the submissions folder`, hint: 'copy the submission into the folder instead of linking it' } });
    } else if (st.isDirectory()) {
      let git = false;
      try {
        git = (await lstat(path.join(p, '.git'))).isDirectory();
      } catch {
        git = false;
      }
      sources.push({ student: name, kind: git ? 'git' : 'dir', path: p });
    } else if (st.isFile() && archiveKind(name)) {
      sources.push({ student: studentName(name, false), kind: archiveKind(name)!, path: p });
    } else {
      ignored.push(name);
    }
  }
  // Two entries for one student (alice/ and alice.zip): grading either would be a guess.
  const byStudent = new Map<string, SubmissionSource[]>();
  for (const s of sources) byStudent.set(s.student, [...(byStudent.get(s.student) ?? []), s]);
  for (const [student, list] of byStudent) {
    if (list.length < 2) continue;
    const names = list.map((s) => path.basename(s.path));
    for (const s of list) {
      s.student = path.basename(s.path);
      s.problem = { message: `${student} has ${list.length} submissions (${names.join(', ')})`, hint: 'keep exactly one folder or archive per student' };
    }
  }
  return { sources, ignored };
}

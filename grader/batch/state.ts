/**
 * The state folder (`<out>/.state`): one file per graded submission, written atomically as
 * each grading completes, so a killed run loses at most the gradings in flight. Also the
 * final scores of the last complete run, to report which grades changed.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from './atomic.ts';
import type { GradeOutcome, RowStatus } from './types.ts';

export const STATE_VERSION = 1;

export interface StateEntry {
  version: typeof STATE_VERSION;
  student: string;
  /** gradeKey(): content, lab, seed, grader version, backend. */
  key: string;
  outcome: GradeOutcome;
}

export interface LastRun {
  version: typeof STATE_VERSION;
  grades: Record<string, { status: RowStatus; finalScore: number; maxScore: number }>;
}

export function stateDir(outDir: string): string {
  return path.join(outDir, '.state');
}

export async function readState(outDir: string): Promise<Map<string, StateEntry>> {
  const dir = path.join(stateDir(outDir), 'submissions');
  const map = new Map<string, StateEntry>();
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return map;
  }
  for (const name of names) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    try {
      const entry = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as StateEntry;
      // A file from another format version is ignored: that submission is graded again.
      if (entry.version === STATE_VERSION && typeof entry.student === 'string') map.set(entry.student, entry);
    } catch {
      // Unreadable state only costs a re-grade.
    }
  }
  return map;
}

export async function writeStateEntry(outDir: string, fileKey: string, entry: StateEntry): Promise<void> {
  await writeJsonAtomic(path.join(stateDir(outDir), 'submissions', `${fileKey}.json`), entry);
}

export async function readLastRun(outDir: string): Promise<LastRun | undefined> {
  try {
    const last = JSON.parse(await readFile(path.join(stateDir(outDir), 'last-run.json'), 'utf8')) as LastRun;
    return last.version === STATE_VERSION ? last : undefined;
  } catch {
    return undefined;
  }
}

export async function writeLastRun(outDir: string, last: LastRun): Promise<void> {
  await writeJsonAtomic(path.join(stateDir(outDir), 'last-run.json'), last);
}

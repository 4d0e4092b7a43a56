/** Which grades changed since the last complete run. Pure. */
import type { GradeChange } from './outputs/summary.ts';
import type { LastRun } from './state.ts';
import type { StudentRow } from './types.ts';

const label = (g: { status: string; finalScore: number; maxScore: number }) => (g.status === 'graded' ? `${g.finalScore}/${g.maxScore}` : g.status);

export function gradeChanges(last: LastRun | undefined, rows: StudentRow[]): GradeChange[] {
  if (!last) return [];
  const changes: GradeChange[] = [];
  const now = new Map(rows.map((r) => [r.student, r]));
  for (const r of rows) {
    const before = last.grades[r.student];
    const after = label(r);
    if (!before) changes.push({ student: r.student, after });
    else if (label(before) !== after) changes.push({ student: r.student, before: label(before), after });
  }
  for (const [student, g] of Object.entries(last.grades)) if (!now.has(student)) changes.push({ student, before: label(g) });
  return changes.sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
}

export function toLastRun(rows: StudentRow[]): LastRun {
  return { version: 1, grades: Object.fromEntries(rows.map((r) => [r.student, { status: r.status, finalScore: r.finalScore, maxScore: r.maxScore }])) };
}

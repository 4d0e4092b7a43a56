/**
 * Builds the students' rows from grading outcomes, roster and lateness. Pure: every output
 * format is rendered from these rows, so they agree with each other by construction.
 */
import type { Lab } from '../lab/load.ts';
import { applyPenalty, computeLateness, type PenaltyPolicy } from './lateness.ts';
import { byCodePoint, fileKey } from './names.ts';
import { matchRoster, type RosterEntry } from './roster.ts';
import type { GradeOutcome, SourceKind, StudentRow } from './types.ts';

export interface StudentResult {
  student: string;
  source: SourceKind;
  outcome: GradeOutcome;
  submittedAt?: string;
  submittedAtSource?: 'git' | 'mtime';
}

export interface RowsInput {
  lab: Lab;
  results: StudentResult[];
  roster?: RosterEntry[];
  deadline?: string;
  penalty: PenaltyPolicy;
}

export interface RowsOutput {
  rows: StudentRow[];
  /** Submissions whose names are not on the roster. */
  notOnRoster: string[];
}

export function labMaxScore(lab: Lab): number {
  return lab.spec.checks.reduce((sum, c) => sum + c.points, 0);
}

export function buildRows(input: RowsInput): RowsOutput {
  const maxScore = labMaxScore(input.lab);
  const students = input.results.map((r) => r.student);
  const match = input.roster ? matchRoster(students, input.roster) : undefined;
  const rows: StudentRow[] = input.results.map((r) => {
    const who = match?.matched.get(r.student);
    const lateness = input.deadline && r.submittedAt ? computeLateness(input.deadline, r.submittedAt, r.submittedAtSource ?? 'mtime', input.penalty) : undefined;
    const base = { student: r.student, fileKey: fileKey(r.student), id: who?.id, name: who?.name, lateness, source: r.source };
    if (r.outcome.kind === 'report') {
      const rep = r.outcome.report;
      return { ...base, status: 'graded', score: rep.score, maxScore: rep.maxScore, finalScore: applyPenalty(rep.score, lateness), report: rep };
    }
    return { ...base, status: 'error', score: 0, maxScore, finalScore: 0, message: r.outcome.message, hint: r.outcome.hint, errorReason: r.outcome.reason };
  });
  for (const m of match?.missing ?? []) {
    rows.push({
      student: m.key,
      fileKey: fileKey(m.key),
      id: m.id,
      name: m.name,
      status: 'missing',
      score: 0,
      maxScore,
      finalScore: 0,
      message: 'no submission found for this student',
    });
  }
  rows.sort((a, b) => byCodePoint(a.student, b.student));
  return { rows, notOnRoster: match?.unknown ?? [] };
}

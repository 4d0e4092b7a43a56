/** results.json: every student's row with its full report (grader/checks/report.ts schema). */
import type { StudentRow } from '../types.ts';

export interface ResultsFile {
  lab: { id: number; slug: string; title: string };
  seed: number;
  backend: 'sim' | 'kind';
  graderVersion: string;
  deadline?: string;
  students: {
    student: string;
    id?: string;
    name?: string;
    status: StudentRow['status'];
    score: number;
    maxScore: number;
    finalScore: number;
    lateness?: StudentRow['lateness'];
    message?: string;
    hint?: string;
    errorReason?: StudentRow['errorReason'];
    report: StudentRow['report'] | null;
  }[];
}

export function renderResultsJson(meta: Omit<ResultsFile, 'students'>, rows: StudentRow[]): string {
  const file: ResultsFile = {
    ...meta,
    students: rows.map((r) => ({
      student: r.student,
      id: r.id,
      name: r.name,
      status: r.status,
      score: r.score,
      maxScore: r.maxScore,
      finalScore: r.finalScore,
      lateness: r.lateness,
      message: r.message,
      hint: r.hint,
      errorReason: r.errorReason,
      report: r.report ?? null,
    })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

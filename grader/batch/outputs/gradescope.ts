/**
 * Gradescope's autograder results format (results.json): the overall score and one entry per
 * check. Hidden checks carry a visibility Gradescope enforces (`after_published` by default,
 * or `hidden`), so their details reach students only when the instructor allows it.
 */
import type { Report } from '../../checks/report.ts';
import type { StudentRow } from '../types.ts';

export type GradescopeVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: GradescopeVisibility;
  number?: string;
}

export interface GradescopeResults {
  score: number;
  max_score?: number;
  execution_time: number;
  output: string;
  visibility?: GradescopeVisibility;
  stdout_visibility?: GradescopeVisibility;
  tests: GradescopeTest[];
}

function checkOutput(c: Report['checks'][number]): string {
  const lines = [c.message];
  if (c.status !== 'pass' && c.hint) lines.push(`Hint: ${c.hint}`);
  for (const e of c.status !== 'pass' ? c.evidence : []) lines.push(`${e.path}: expected ${JSON.stringify(e.expected)}, observed ${JSON.stringify(e.observed)}`);
  return lines.join('\n');
}

export function toGradescope(row: StudentRow, opts: { hiddenVisibility: 'after_published' | 'hidden' }): GradescopeResults {
  if (row.status !== 'graded' || !row.report) {
    return {
      score: 0,
      max_score: row.maxScore,
      execution_time: 0,
      output: [`Your submission could not be graded: ${row.message ?? 'no submission'}`, row.hint ? `What to do: ${row.hint}` : ''].filter(Boolean).join('\n'),
      tests: [],
    };
  }
  const rep = row.report;
  const out: string[] = [];
  if (rep.apply.errors.length) out.push('Objects the cluster rejected:', ...rep.apply.errors.map((e) => `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`));
  if (row.lateness?.penaltyPercent) out.push(`Late submission: -${row.lateness.penaltyPercent}% (score ${rep.score} → ${row.finalScore}).`);
  return {
    score: row.finalScore,
    max_score: rep.maxScore,
    execution_time: Math.round(rep.durationMs / 1000),
    output: out.join('\n'),
    tests: rep.checks.map((c, i) => ({
      name: c.title,
      number: String(i + 1),
      score: c.points,
      max_score: c.maxPoints,
      status: c.status === 'pass' ? 'passed' : 'failed',
      output: checkOutput(c),
      visibility: c.hidden ? opts.hiddenVisibility : 'visible',
    })),
  };
}

export function renderGradescope(row: StudentRow, opts: { hiddenVisibility: 'after_published' | 'hidden' }): string {
  return `${JSON.stringify(toGradescope(row, opts), null, 2)}\n`;
}

/** The end-of-run summary: score histogram, most-failed checks, errors. Pure. */
import type { StudentRow } from '../types.ts';

export interface Summary {
  students: number;
  graded: number;
  errors: number;
  missing: number;
  /** Ten buckets of final score percentage: [0,10), …, [90,100]. */
  histogram: number[];
  /** Checks by number of students who did not pass them, most first (ties by id). */
  mostFailed: { id: string; title: string; failed: number }[];
  errorList: { student: string; message: string; hint?: string }[];
}

export function summarize(rows: StudentRow[]): Summary {
  const histogram = new Array<number>(10).fill(0);
  const failed = new Map<string, { title: string; failed: number }>();
  for (const r of rows) {
    if (r.status !== 'graded') continue;
    const pct = r.maxScore ? (100 * r.finalScore) / r.maxScore : 0;
    histogram[Math.min(9, Math.floor(pct / 10))]!++;
    for (const c of r.report?.checks ?? []) {
      const f = failed.get(c.id) ?? { title: c.title, failed: 0 };
      if (c.status !== 'pass') f.failed++;
      failed.set(c.id, f);
    }
  }
  const mostFailed = [...failed.entries()]
    .map(([id, f]) => ({ id, ...f }))
    .filter((f) => f.failed > 0)
    .sort((a, b) => b.failed - a.failed || (a.id < b.id ? -1 : 1));
  return {
    students: rows.length,
    graded: rows.filter((r) => r.status === 'graded').length,
    errors: rows.filter((r) => r.status === 'error').length,
    missing: rows.filter((r) => r.status === 'missing').length,
    histogram,
    mostFailed,
    errorList: rows.filter((r) => r.status === 'error').map((r) => ({ student: r.student, message: r.message ?? '', hint: r.hint })),
  };
}

export function formatSummary(s: Summary, changes: GradeChange[] = []): string {
  const out: string[] = [];
  out.push(`${s.students} students: ${s.graded} graded, ${s.errors} errors${s.missing ? `, ${s.missing} without a submission` : ''}`);
  if (s.graded) {
    out.push('', 'Scores (final, % of maximum):');
    const max = Math.max(...s.histogram);
    s.histogram.forEach((n, i) => {
      const label = `${i * 10}–${i === 9 ? 100 : i * 10 + 9}%`.padStart(7);
      out.push(`  ${label} │${'█'.repeat(max ? Math.round((20 * n) / max) : 0)} ${n}`);
    });
  }
  if (s.mostFailed.length) {
    out.push('', 'Most-failed checks:');
    for (const f of s.mostFailed.slice(0, 5)) out.push(`  ${String(f.failed).padStart(4)}  ${f.id} — ${f.title}`);
  }
  if (changes.length) {
    out.push('', 'Grades changed since the last run:');
    for (const c of changes) out.push(`  ${c.student}: ${c.before ?? '—'} → ${c.after ?? '—'}`);
  }
  if (s.errorList.length) {
    out.push('', 'Submissions that could not be graded:');
    for (const e of s.errorList) out.push(`  ${e.student}: ${e.message}${e.hint ? `\n      fix: ${e.hint}` : ''}`);
  }
  return out.join('\n');
}

export interface GradeChange {
  student: string;
  /** `7/10`, `error`, or undefined when the student is new. */
  before?: string;
  after?: string;
}

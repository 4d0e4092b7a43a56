/** grades.csv: one row per student; total, lateness and points per check. */
import { stringify } from 'csv-stringify/sync';
import type { Lab } from '../../lab/load.ts';
import type { StudentRow } from '../types.ts';

/**
 * Spreadsheets run cells starting with = + - @ as formulas; a student-chosen name or message
 * must never become one (CSV injection), so such cells get a leading apostrophe.
 */
function cell(v: string | number | undefined): string | number {
  if (v === undefined) return '';
  if (typeof v === 'number') return v;
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export function renderCsv(lab: Lab, rows: StudentRow[], opts: { lateness: boolean }): string {
  const checkIds = lab.spec.checks.map((c) => c.id);
  const header = ['student', 'id', 'name', 'status', 'score', 'max_score', ...(opts.lateness ? ['submitted_at', 'late_hours', 'penalty_percent'] : []), 'final_score', ...checkIds, 'message'];
  const records = rows.map((r) => {
    const points = new Map(r.report?.checks.map((c) => [c.id, c.points]) ?? []);
    const late = opts.lateness ? [r.lateness?.submittedAt ?? '', r.lateness ? Math.round((r.lateness.lateMs / 3_600_000) * 100) / 100 : '', r.lateness?.penaltyPercent ?? ''] : [];
    const message = r.status === 'error' ? [r.message, r.hint && `fix: ${r.hint}`].filter(Boolean).join(' — ') : (r.message ?? '');
    return [r.student, r.id, r.name, r.status, r.score, r.maxScore, ...late, r.finalScore, ...checkIds.map((id) => (r.report ? (points.get(id) ?? '') : '')), message].map(cell);
  });
  return stringify([header, ...records]);
}

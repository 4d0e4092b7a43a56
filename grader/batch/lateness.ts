/**
 * Late submissions: parsing the deadline and penalty flags, and the (pure) arithmetic.
 * A penalty of N%/day takes N percent of the earned score off for every started day after
 * the deadline (so one minute late counts as one day), capped at 100%.
 */
import { UsageError } from '../errors.ts';
import type { Lateness } from './types.ts';

export type PenaltyPolicy = { kind: 'none' } | { kind: 'per'; percent: number; unitMs: number; unit: 'day' | 'hour' };

const units = { day: 86_400_000, hour: 3_600_000 } as const;

export function parsePenalty(text: string | undefined): PenaltyPolicy {
  if (text === undefined || text === 'none') return { kind: 'none' };
  const m = /^(\d+(?:\.\d+)?)%\/(day|hour)$/.exec(text.trim());
  if (!m) throw new UsageError(`--late-penalty "${text}" is not a penalty policy`, 'use e.g. 10%/day, 2%/hour or none');
  const percent = Number(m[1]);
  if (percent > 100) throw new UsageError(`--late-penalty ${text}: more than 100% per ${m[2]}`, 'use a percentage between 0 and 100');
  const unit = m[2] as 'day' | 'hour';
  return { kind: 'per', percent, unitMs: units[unit], unit };
}

export function parseDeadline(text: string): string {
  // An ISO date with a time zone, so the deadline means the same on every machine.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new UsageError(`--deadline "${text}" is not an ISO date and time with a time zone`, 'use e.g. 2025-03-14T23:59:00+01:00 or 2025-03-14T22:59:00Z');
  }
  return new Date(text).toISOString();
}

export function computeLateness(deadline: string, submittedAt: string, source: 'git' | 'mtime', policy: PenaltyPolicy): Lateness {
  const lateMs = Math.max(0, Date.parse(submittedAt) - Date.parse(deadline));
  const penaltyPercent = policy.kind === 'none' || lateMs === 0 ? 0 : Math.min(100, policy.percent * Math.ceil(lateMs / policy.unitMs));
  return { deadline, submittedAt, source, lateMs, penaltyPercent };
}

/** Rounded to hundredths, so CSV and JSON agree. */
export function applyPenalty(score: number, lateness: Lateness | undefined): number {
  if (!lateness || lateness.penaltyPercent === 0) return score;
  return Math.round(score * (100 - lateness.penaltyPercent)) / 100;
}

/** `2 d 3 h late`, `on time`. */
export function describeLateness(l: Lateness): string {
  if (l.lateMs === 0) return 'on time';
  const h = Math.ceil(l.lateMs / units.hour);
  const d = Math.floor(h / 24);
  const rest = h % 24;
  return `${d ? `${d} d ` : ''}${rest ? `${rest} h ` : ''}late`;
}

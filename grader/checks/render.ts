/**
 * The report for a terminal: one line per check (✓/✗, points), then each failure with its
 * explanation, evidence and hint, then the total. Hidden checks show only that they exist.
 */
import type { CheckResult, Evidence, Report } from './report.ts';

export interface RenderOptions {
  color: boolean;
  /** Print every evidence item with its trace, and the cluster views. */
  explain: boolean;
  /** Heading line, e.g. which folder was graded. */
  subject?: string;
  /** Show hidden checks in full (instructors); students see only that they exist. */
  showHidden?: boolean;
}

const ANSI = { green: 32, red: 31, yellow: 33, dim: 2, bold: 1, cyan: 36 } as const;
type Style = keyof typeof ANSI;

export function renderReport(report: Report, opts: RenderOptions): string {
  const concealed = (c: CheckResult) => c.hidden && !opts.showHidden;
  const st = (s: Style, text: string) => (opts.color ? `\x1b[${ANSI[s]}m${text}\x1b[0m` : text);
  const out: string[] = [];
  out.push(st('bold', `Lab ${report.lab.id} · ${report.lab.title}`) + (opts.subject ? st('dim', ` — ${opts.subject}`) : ''));
  out.push(st('dim', `cluster: ${report.backend}, seed ${report.seed}`));
  out.push('');
  const a = report.apply;
  out.push(`Applied ${a.applied} object${a.applied === 1 ? '' : 's'}${a.errors.length ? `, ${a.errors.length} rejected:` : '.'}`);
  for (const e of a.errors) out.push(st('red', `  ${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`));
  for (const w of a.warnings) out.push(st('yellow', `  Warning: ${w}`));
  if (report.rollout && !report.rollout.complete) {
    out.push(st('yellow', `Rollout not complete after ${report.rollout.waitedSeconds} s:`));
    for (const m of report.rollout.notReady) out.push(st('yellow', `  ${m}`));
  }
  out.push('');

  const mark = (c: CheckResult) => (c.status === 'pass' ? st('green', '✓') : c.status === 'skipped' ? st('yellow', '-') : st('red', '✗'));
  const idw = Math.max(...report.checks.map((c) => (concealed(c) ? 0 : c.id.length)), 2);
  const titles = report.checks.map((c) => (concealed(c) ? 'hidden check' : c.title));
  const tw = Math.min(Math.max(...titles.map((t) => t.length)), 60);
  report.checks.forEach((c, i) => {
    const id = concealed(c) ? '' : c.id;
    const t = titles[i]!;
    const title = (t.length > tw ? `${t.slice(0, tw - 1)}…` : t).padEnd(tw);
    const pts = `${c.points}/${c.maxPoints}`;
    const tail = c.status === 'skipped' ? st('yellow', ' (skipped)') : c.status === 'error' ? st('red', ' (error)') : '';
    out.push(`  ${mark(c)} ${id.padEnd(idw)}  ${concealed(c) ? st('dim', title) : title}  ${st('dim', pts)}${tail}`);
  });

  const problems = report.checks.filter((c) => c.status !== 'pass' && !(concealed(c)));
  if (problems.length) {
    out.push('');
    for (const c of problems) {
      out.push(`${mark(c)} ${st('bold', c.title)} ${st('dim', `(${c.id})`)}`);
      out.push(`    ${c.message}`);
      const ev = opts.explain ? c.evidence : c.evidence.slice(0, 4);
      for (const e of ev) out.push(...renderEvidence(e, opts.explain, st));
      if (c.evidence.length > ev.length) out.push(st('dim', `    … ${c.evidence.length - ev.length} more (use --explain)`));
      if (c.explain && opts.explain) out.push(`    ${st('cyan', 'why:')} ${c.explain}`);
      if (c.hint) out.push(`    ${st('cyan', 'hint:')} ${c.hint}`);
      out.push('');
    }
  } else out.push('');

  const hiddenFailed = report.checks.filter((c) => concealed(c) && c.status !== 'pass' && c.status !== 'skipped').length;
  if (hiddenFailed) out.push(st('yellow', `${hiddenFailed} hidden check${hiddenFailed === 1 ? '' : 's'} failed: the visible checks do not test everything the lab asks for; reread the README.`));
  const failed = report.checks.filter((c) => c.status === 'fail' || c.status === 'error').length;
  const total = `Score: ${report.score}/${report.maxScore}`;
  out.push(failed ? st('bold', `${total} — ${failed} check${failed === 1 ? '' : 's'} to go.`) : st('green', st('bold', `${total} — all checks pass.`)));
  if (opts.explain && report.views) {
    out.push('', st('bold', 'Cluster after the rollout:'), report.views.trimEnd());
  }
  return `${out.join('\n')}\n`;
}

function renderEvidence(e: Evidence, explain: boolean, st: (s: Style, t: string) => string): string[] {
  const lines = [`    ${st('dim', '•')} ${e.path}: expected ${short(e.expected)}, observed ${short(e.observed)}`];
  if (explain) for (const h of e.trace ?? []) lines.push(st('dim', `        ${h.component}: ${h.detail}`));
  return lines;
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  if (s === undefined) return '(nothing)';
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/**
 * Feedback pages, what the student sees: Markdown, and HTML rendered from it with marked.
 * Hidden checks show only that they exist and their combined points. Everything that comes
 * from the submission (names, values, kubectl messages) is escaped: in Markdown with
 * backslashes or inside fences, and raw HTML is never passed through, so a hostile manifest
 * cannot inject markup into the page.
 */
import { Marked } from 'marked';
import type { CheckResult, Evidence } from '../../checks/report.ts';
import type { Lab } from '../../lab/load.ts';
import { describeLateness } from '../lateness.ts';
import type { StudentRow } from '../types.ts';

/** Escapes Markdown punctuation (and with it, HTML) in one line of text. */
export function mdText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]<>()#+!|~&]/g, (c) => `\\${c}`);
}

/** A fenced block that no backtick run in `body` can close. */
function fence(body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${body}\n${f}`;
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v, null, 2);
  return s === undefined ? String(v) : s;
}

function evidenceBlock(e: Evidence): string {
  const lines = [`expected: ${show(e.expected)}`, `observed: ${show(e.observed)}`];
  if (e.trace?.length) lines.push('path of the request:', ...e.trace.map((h) => `  ${h.component}: ${h.detail}`));
  return `- ${mdText(e.path)}\n\n${fence(lines.join('\n')).replace(/^/gm, '  ')}`;
}

const mark = { pass: '✅', fail: '❌', error: '⚠️', skipped: '⏭️' } as const;

function checkSection(c: CheckResult): string {
  const out = [`### ${mark[c.status]} ${mdText(c.title)} (${c.points}/${c.maxPoints})`, '', mdText(c.message)];
  if (c.status !== 'pass' && c.hint) out.push('', `**Hint:** ${mdText(c.hint)}`);
  if (c.status !== 'pass' && c.evidence.length) out.push('', ...c.evidence.map(evidenceBlock));
  return out.join('\n');
}

export function renderFeedbackMarkdown(lab: Lab, row: StudentRow): string {
  const title = `# Lab ${lab.spec.id}: ${mdText(lab.spec.title)}`;
  const who = `Feedback for **${mdText(row.name ?? row.student)}**`;
  const out = [title, '', who, ''];
  if (row.status === 'missing') {
    out.push('No submission was found for you.');
    return `${out.join('\n')}\n`;
  }
  if (row.status === 'error') {
    out.push(`**Score: 0 / ${row.maxScore}** — your submission could not be graded.`, '', `**Problem:** ${mdText(row.message ?? 'unknown problem')}`);
    if (row.hint) out.push('', `**What to do:** ${mdText(row.hint)}`);
    return `${out.join('\n')}\n`;
  }
  const rep = row.report!;
  out.push(`**Score: ${rep.score} / ${rep.maxScore}**`);
  if (row.lateness) {
    const late = describeLateness(row.lateness);
    out.push('', row.lateness.penaltyPercent ? `Submitted ${late}: −${row.lateness.penaltyPercent}%, final score **${row.finalScore} / ${rep.maxScore}**.` : `Submitted ${late}.`);
  }
  if (rep.apply.errors.length) {
    out.push('', '## Objects the cluster rejected', '', ...rep.apply.errors.map((e) => `- ${mdText(`${e.file}${e.line !== undefined ? `:${e.line}` : ''}`)}\n\n${fence(e.message).replace(/^/gm, '  ')}`));
  }
  if (rep.apply.warnings.length) out.push('', '## Warnings', '', ...rep.apply.warnings.map((w) => `- ${mdText(w)}`));
  const visible = rep.checks.filter((c) => !c.hidden);
  const hidden = rep.checks.filter((c) => c.hidden);
  out.push('', '## Checks', '', ...visible.map((c) => `${checkSection(c)}\n`));
  if (hidden.length) {
    const pts = hidden.reduce((s, c) => s + c.maxPoints, 0);
    out.push(`### Hidden checks`, '', `${hidden.length} hidden check${hidden.length > 1 ? 's' : ''} worth ${pts} point${pts === 1 ? '' : 's'} also ${hidden.length > 1 ? 'count' : 'counts'} toward your score; their details are not shown.`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const marked = new Marked({
  gfm: true,
  // Raw HTML in the Markdown is shown as text, never interpreted.
  renderer: { html: ({ text }) => escapeHtml(text) },
});

export function renderFeedbackHtml(lab: Lab, row: StudentRow, markdown: string): string {
  const body = marked.parse(markdown, { async: false }) as string;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Lab ${lab.spec.id} feedback — ${row.name ?? row.student}`)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}pre{background:#f4f4f4;padding:.5rem;overflow-x:auto}</style>
</head>
<body>
<main>
${body}</main>
</body>
</html>
`;
}

/** Renders a BenchTable as aligned plain text (numbers right-aligned). */
import type { BenchTable, Cell } from './types.ts';

function show(c: Cell): string {
  if (typeof c === 'string') return c;
  if (Number.isInteger(c)) return String(c);
  return c.toFixed(Math.abs(c) >= 100 ? 0 : Math.abs(c) >= 10 ? 1 : 2);
}

export function renderTable(t: BenchTable): string {
  const cells = t.rows.map((r) => r.map(show));
  const widths = t.columns.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = t.columns.map((_, i) => t.rows.every((r) => typeof r[i] === 'number'));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [t.title, line(t.columns), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)];
  for (const n of t.notes ?? []) out.push(`  ${n}`);
  return out.join('\n');
}

/**
 * The optional roster CSV: maps submission names to student ids and names. Header names are
 * matched loosely so GitHub Classroom's export (identifier, github_username, github_id, name)
 * and hand-made sheets (student, id, name) both work. A GitHub Classroom clone is named
 * `<assignment>-<username>`, so a roster key also matches a submission ending in `-<key>`.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.ts';

export interface RosterEntry {
  key: string;
  id?: string;
  name?: string;
}

const keyColumns = ['submission', 'github_username', 'username', 'login', 'student', 'folder', 'key'];
const idColumns = ['id', 'student_id', 'identifier', 'sid', 'email'];
const nameColumns = ['name', 'full_name', 'student_name', 'roster_name'];

function pick(header: string[], wanted: string[]): string | undefined {
  const norm = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, '_');
  for (const w of wanted) {
    const found = header.find((h) => norm(h) === w);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function parseRoster(text: string, file: string): RosterEntry[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Record<string, string>[];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new InputError(file, line, `malformed CSV: ${(err as Error).message}`, 'save the roster as CSV with a header row');
  }
  const header = records.length ? Object.keys(records[0]!) : [];
  const keyCol = pick(header, keyColumns);
  if (!keyCol) throw new InputError(file, 1, `the roster has no column naming the submission (one of: ${keyColumns.join(', ')})`, 'add a column "submission" with each student\'s folder or archive name');
  const idCol = pick(header, idColumns);
  const nameCol = pick(header, nameColumns);
  const out: RosterEntry[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    const key = r[keyCol]?.trim();
    if (!key) return;
    if (seen.has(key)) throw new InputError(file, i + 2, `"${key}" appears twice in the roster`, 'keep one line per student');
    seen.add(key);
    out.push({ key, id: idCol ? r[idCol] || undefined : undefined, name: nameCol ? r[nameCol] || undefined : undefined });
  });
  return out;
}

export async function readRoster(file: string): Promise<RosterEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(file, undefined, 'cannot read the roster file', 'give the path of a CSV file');
  }
  return parseRoster(text, file);
}

/**
 * Matches submissions to roster entries: exact name first, then the longest key that the name
 * ends with after a hyphen (`lab3-alice` → `alice`). Pure.
 */
export function matchRoster(students: string[], roster: RosterEntry[]): { matched: Map<string, RosterEntry>; missing: RosterEntry[]; unknown: string[] } {
  const byKey = new Map(roster.map((r) => [r.key, r]));
  const matched = new Map<string, RosterEntry>();
  const used = new Set<string>();
  // Exact names first, so `alice` is never taken by `lab3-alice` when both exist.
  for (const s of students) {
    const entry = byKey.get(s);
    if (entry) {
      matched.set(s, entry);
      used.add(entry.key);
    }
  }
  const unknown: string[] = [];
  for (const s of students) {
    if (matched.has(s)) continue;
    const lower = s.toLowerCase();
    const entry = roster
      .filter((r) => !used.has(r.key) && (lower === r.key.toLowerCase() || lower.endsWith(`-${r.key.toLowerCase()}`)))
      .sort((a, b) => b.key.length - a.key.length)[0];
    if (entry) {
      matched.set(s, entry);
      used.add(entry.key);
    } else unknown.push(s);
  }
  return { matched, missing: roster.filter((r) => !used.has(r.key)), unknown };
}

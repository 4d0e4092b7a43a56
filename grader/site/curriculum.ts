/**
 * Optional concept descriptions from docs/curriculum.md: its concept-map tables have a
 * "Concept id" column (one or more ids, comma-separated) and, first, a column describing the
 * concept. Other columns (which checks teach it, some hidden) are never read. A missing or
 * differently shaped file just means concepts have no description.
 */
import { readFile } from 'node:fs/promises';
import { Lexer, type Tokens } from 'marked';

export async function readConceptDescriptions(file: string | undefined): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!file) return out;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return out;
  }
  const tables = Lexer.lex(text).filter((t): t is Tokens.Table => t.type === 'table');
  for (const table of tables) {
    const idCol = table.header.findIndex((h) => /^concept ids?$/i.test(h.text.trim()));
    // Only concept-map tables: the first column describes the concept ("Concept in the notes").
    if (idCol <= 0 || !/^concept\b/i.test(table.header[0]!.text.trim())) continue;
    for (const row of table.rows) {
      const description = row[0]?.text.trim();
      if (!description) continue;
      for (const id of row[idCol]!.text.split(',').map((s) => s.replace(/`/g, '').trim())) {
        if (id && !out.has(id)) out.set(id, description);
      }
    }
  }
  return out;
}

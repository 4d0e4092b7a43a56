/**
 * `npm run bench` is a table printer over pluggable sections. A section measures one thing
 * (batch throughput, per-lab grading time, simulator scale) and returns a table; the CLI
 * prints them one after another. Add a section by writing a BenchSection and listing it in
 * sections.ts.
 */
export type Cell = string | number;

export interface BenchTable {
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Lines printed under the table (targets, what was measured, caveats). */
  notes?: string[];
}

export interface BenchContext {
  /** Smaller inputs, for a quick look (and for the bench's own test). */
  quick: boolean;
  /** Section-specific options from the command line (`--opt key=value`). */
  options: Record<string, string>;
  /** A scratch folder, removed after the run. */
  tmpDir: string;
  log(message: string): void;
}

export interface BenchSection {
  /** Short name used on the command line: `npm run bench -- batch`. */
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchTable[]>;
}

/**
 * Writes every output of a batch, each file atomically. Feedback and Gradescope files of
 * students no longer in the batch are removed so the folders mirror grades.csv.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Lab } from '../../lab/load.ts';
import { writeFileAtomic } from '../atomic.ts';
import { mapLimit } from '../map-limit.ts';
import type { StudentRow } from '../types.ts';
import { renderCsv } from './csv.ts';
import { renderFeedbackHtml, renderFeedbackMarkdown } from './feedback.ts';
import { renderGradescope } from './gradescope.ts';
import { renderJunit } from './junit.ts';
import { renderResultsJson, type ResultsFile } from './results-json.ts';

export interface OutputOptions {
  outDir: string;
  lab: Lab;
  rows: StudentRow[];
  meta: Omit<ResultsFile, 'students'>;
  hiddenVisibility: 'after_published' | 'hidden';
}

export interface OutputPaths {
  csv: string;
  results: string;
  junit: string;
  feedbackDir: string;
  gradescopeDir: string;
}

export function outputPaths(outDir: string): OutputPaths {
  return {
    csv: path.join(outDir, 'grades.csv'),
    results: path.join(outDir, 'results.json'),
    junit: path.join(outDir, 'junit.xml'),
    feedbackDir: path.join(outDir, 'feedback'),
    gradescopeDir: path.join(outDir, 'gradescope'),
  };
}

async function removeStale(dir: string, keep: Set<string>): Promise<void> {
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => !keep.has(n)).map((n) => rm(path.join(dir, n), { force: true })));
}

export async function writeOutputs(o: OutputOptions): Promise<OutputPaths> {
  const p = outputPaths(o.outDir);
  const feedbackNames = new Set<string>();
  const gradescopeNames = new Set<string>();
  // Per-student files first, the aggregate files last: a reader that sees the new
  // grades.csv also finds every student's feedback.
  await mkdir(p.feedbackDir, { recursive: true });
  await mkdir(p.gradescopeDir, { recursive: true });
  const noMkdir = { mkdir: false };
  // Independent small files: written several at a time, which matters at hundreds of students.
  await mapLimit(o.rows, 16, async (row) => {
    const md = renderFeedbackMarkdown(o.lab, row);
    await Promise.all([
      writeFileAtomic(path.join(p.feedbackDir, `${row.fileKey}.md`), md, noMkdir),
      writeFileAtomic(path.join(p.feedbackDir, `${row.fileKey}.html`), renderFeedbackHtml(o.lab, row, md), noMkdir),
      writeFileAtomic(path.join(p.gradescopeDir, `${row.fileKey}.json`), renderGradescope(row, { hiddenVisibility: o.hiddenVisibility }), noMkdir),
    ]);
  });
  for (const row of o.rows) {
    feedbackNames.add(`${row.fileKey}.md`).add(`${row.fileKey}.html`);
    gradescopeNames.add(`${row.fileKey}.json`);
  }
  await removeStale(p.feedbackDir, feedbackNames);
  await removeStale(p.gradescopeDir, gradescopeNames);
  await writeFileAtomic(p.junit, renderJunit(o.lab, o.rows));
  await writeFileAtomic(p.results, renderResultsJson(o.meta, o.rows));
  await writeFileAtomic(p.csv, renderCsv(o.lab, o.rows, { lateness: o.meta.deadline !== undefined }));
  return p;
}

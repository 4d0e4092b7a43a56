/**
 * A whole batch: discover → prepare → plan → grade → rows → outputs. Results of each grading
 * are persisted to the state folder as they arrive, so an interrupted batch resumes where it
 * stopped; the aggregate outputs are rebuilt from all results at the end.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { KubelabError } from '../errors.ts';
import type { Lab } from '../lab/load.ts';
import { gradeChanges, toLastRun } from './changes.ts';
import { discoverSubmissions } from './discover.ts';
import type { GradeExecutor } from './executor/types.ts';
import { hashFolder } from './hash.ts';
import type { PenaltyPolicy } from './lateness.ts';
import { defaultLimits, type SubmissionLimits } from './limits.ts';
import { mapLimit } from './map-limit.ts';
import { prepareOutDir } from './out-dir.ts';
import { fileKey } from './names.ts';
import { summarize, type GradeChange, type Summary } from './outputs/summary.ts';
import { writeOutputs, type OutputPaths } from './outputs/write.ts';
import { planBatch } from './plan.ts';
import { prepareSubmission } from './prepare.ts';
import { readRoster } from './roster.ts';
import { buildRows, type StudentResult } from './rows.ts';
import { STATE_VERSION, readLastRun, readState, writeLastRun, writeStateEntry } from './state.ts';
import { ErrorReason, type GradeOutcome, type Prepared, type StudentRow } from './types.ts';

export interface BatchOptions {
  lab: Lab;
  submissionsDir: string;
  outDir: string;
  executor: GradeExecutor;
  /** Identifies the grader's code; part of every cache key. */
  graderVersion: string;
  seed?: number;
  backend?: 'sim' | 'kind';
  force?: boolean;
  rosterFile?: string;
  /** ISO deadline (normalised by parseDeadline). */
  deadline?: string;
  penalty?: PenaltyPolicy;
  limits?: Partial<SubmissionLimits>;
  hiddenVisibility?: 'after_published' | 'hidden';
  /** Aborting stops new gradings; finished ones stay in the state folder. */
  signal?: AbortSignal;
  onProgress?: (p: BatchProgress) => void;
}

export interface BatchProgress {
  phase: 'prepare' | 'grade';
  done: number;
  total: number;
  /** Error outcomes so far in this phase. */
  failed: number;
}

export interface BatchResult {
  rows: StudentRow[];
  summary: Summary;
  changes: GradeChange[];
  counts: { submissions: number; graded: number; reused: number; unreadable: number };
  ignored: string[];
  notOnRoster: string[];
  outputs: OutputPaths;
}

/** The batch was stopped before every submission was graded; completed results are kept. */
export class BatchInterrupted extends KubelabError {
  override readonly exitCode = 130;
  constructor(readonly completed: number, readonly remaining: number) {
    super(`grading interrupted: ${completed} submissions graded, ${remaining} left`, 'run the same command again to grade the rest; finished submissions are not graded twice');
  }
}

export async function runBatch(o: BatchOptions): Promise<BatchResult> {
  const outDir = path.resolve(o.outDir);
  const seed = o.seed ?? 1;
  const backend = o.backend ?? 'sim';
  const limits = { ...defaultLimits, ...o.limits };
  const penalty = o.penalty ?? { kind: 'none' };
  // Discovery first: a missing SUBMISSIONS folder must not leave an empty --out behind.
  const { sources, ignored } = await discoverSubmissions(o.submissionsDir, [outDir]);
  await prepareOutDir(outDir, o.submissionsDir);
  const roster = o.rosterFile ? await readRoster(o.rosterFile) : undefined;
  const labHash = await hashFolder(o.lab.dir);

  // Staging lives inside the out dir so nothing is written outside the run's own folders.
  const workRoot = path.join(outDir, '.work');
  await rm(workRoot, { recursive: true, force: true });
  let prepDone = 0;
  let prepFailed = 0;
  const prepared = (await mapLimit(sources, 8, async (s) => {
    const p = await prepareSubmission(s, { workRoot, limits, wantTime: o.deadline !== undefined });
    prepDone++;
    if (!p.ok) prepFailed++;
    o.onProgress?.({ phase: 'prepare', done: prepDone, total: sources.length, failed: prepFailed });
    return p;
  })) as Prepared[];

  const plan = planBatch({ prepared, previous: await readState(outDir), force: o.force ?? false, labHash, seed, graderVersion: o.graderVersion, backend });

  const outcomes = new Map<string, GradeOutcome>();
  let done = 0;
  let failed = 0;
  o.onProgress?.({ phase: 'grade', done, total: plan.grade.length, failed });
  await mapLimit(
    plan.grade,
    o.executor.concurrency,
    async ({ prepared: p, key }) => {
      const outcome = await o.executor.grade({ student: p.source.student, labDir: o.lab.dir, submissionDir: p.stagedDir, seed, backend });
      await writeStateEntry(outDir, fileKey(p.source.student), { version: STATE_VERSION, student: p.source.student, key, outcome });
      outcomes.set(p.source.student, outcome);
      done++;
      if (outcome.kind === 'error') failed++;
      o.onProgress?.({ phase: 'grade', done, total: plan.grade.length, failed });
    },
    o.signal,
  );
  if (o.signal?.aborted) throw new BatchInterrupted(plan.reuse.length + done, plan.grade.length - done);

  const results: StudentResult[] = [];
  const timeOf = (p: Prepared) => ({ submittedAt: p.submittedAt, submittedAtSource: p.submittedAtSource });
  for (const { prepared: p, entry } of plan.reuse) results.push({ student: p.source.student, source: p.source.kind, outcome: entry.outcome, ...timeOf(p) });
  for (const { prepared: p } of plan.grade) results.push({ student: p.source.student, source: p.source.kind, outcome: outcomes.get(p.source.student)!, ...timeOf(p) });
  for (const p of plan.failed) {
    results.push({ student: p.source.student, source: p.source.kind, outcome: { kind: 'error', reason: ErrorReason.submission, message: p.message, hint: p.hint, cacheable: false }, ...timeOf(p) });
  }

  const { rows, notOnRoster } = buildRows({ lab: o.lab, results, roster, deadline: o.deadline, penalty });
  const changes = gradeChanges(await readLastRun(outDir), rows);
  const outputs = await writeOutputs({
    outDir,
    lab: o.lab,
    rows,
    meta: { lab: { id: o.lab.spec.id, slug: o.lab.spec.slug, title: o.lab.spec.title }, seed, backend, graderVersion: o.graderVersion, deadline: o.deadline },
    hiddenVisibility: o.hiddenVisibility ?? 'after_published',
  });
  await writeLastRun(outDir, toLastRun(rows));
  await rm(workRoot, { recursive: true, force: true });
  return {
    rows,
    summary: summarize(rows),
    changes,
    counts: { submissions: sources.length, graded: plan.grade.length, reused: plan.reuse.length, unreadable: plan.failed.length },
    ignored,
    notOnRoster,
    outputs,
  };
}

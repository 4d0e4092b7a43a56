/**
 * The `npm run grade` command as an async function: resolves the lab, builds the executor and
 * runs a batch (or the Gradescope mode). Throws typed errors (UsageError, InputError,
 * BatchInterrupted); only grader/cli/grade.ts turns them into exit codes.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.ts';
import { listLabs, loadLab, type Lab } from '../lab/load.ts';
import { PoolExecutor, defaultWorkers } from './executor/pool.ts';
import type { GradeExecutor } from './executor/types.ts';
import { runGradescope, GRADESCOPE_RESULTS, GRADESCOPE_SUBMISSION } from './gradescope-mode.ts';
import { graderVersion } from './hash.ts';
import { parseDeadline, parsePenalty } from './lateness.ts';
import { runBatch, type BatchProgress, type BatchResult } from './run.ts';
import type { GraderRef } from './types.ts';
import type { GradescopeResults } from './outputs/gradescope.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const DEFAULT_GRADER: GraderRef = { module: path.join(repoRoot, 'grader', 'checks', 'grade.ts'), export: 'gradeSubmission' };

export interface GradeCommandOptions {
  lab?: string;
  labDir?: string;
  labsRoot?: string;
  submissions?: string;
  out: string;
  roster?: string;
  seed?: string;
  backend?: string;
  /** Same as backend: `--cluster sim|kind`, as `npm run lab` spells it. */
  cluster?: string;
  workers?: string;
  timeout?: string;
  memory?: string;
  force?: boolean;
  deadline?: string;
  latePenalty?: string;
  hiddenVisibility?: string;
  gradescope?: boolean;
  gradescopeSubmission?: string;
  gradescopeResults?: string;
  /** `path/to/module.ts#exportName`; the grading API by default. */
  grader?: string;
  /** Overrides the computed grader version (tests, where other code changes must not re-grade). */
  graderVersion?: string;
  signal?: AbortSignal;
  onProgress?: (p: BatchProgress) => void;
}

export type GradeCommandResult = { mode: 'batch'; result: BatchResult; lab: Lab } | { mode: 'gradescope'; results: GradescopeResults; resultsFile: string };

function int(name: string, v: string | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${name} must be a whole number of at least ${min}, not "${v}"`);
  return Number(v);
}

export async function resolveLab(o: { lab?: string; labDir?: string; labsRoot?: string }): Promise<Lab> {
  if (o.lab !== undefined && o.labDir !== undefined) throw new UsageError('give either --lab or --lab-dir, not both');
  if (o.labDir !== undefined) return loadLab(o.labDir);
  if (o.lab === undefined) throw new UsageError('which lab? give --lab N (the lab number) or --lab-dir PATH');
  const id = int('--lab', o.lab, 0, 1);
  const root = o.labsRoot ?? path.join(repoRoot, 'labs');
  const { labs, errors } = await listLabs(root);
  const lab = labs.find((l) => l.spec.id === id);
  if (lab) return lab;
  const broken = errors.find((e) => e.folder.startsWith(`${String(id).padStart(2, '0')}-`));
  if (broken) throw broken.error;
  throw new UsageError(`no lab ${id} in ${root}`, labs.length ? `available labs: ${labs.map((l) => l.spec.id).join(', ')}` : 'give the lab folder with --lab-dir');
}

async function graderRef(spec: string | undefined): Promise<GraderRef> {
  let ref = DEFAULT_GRADER;
  if (spec !== undefined) {
    const [mod, exp] = spec.split('#');
    ref = { module: path.resolve(mod!), export: exp || 'gradeSubmission' };
  }
  try {
    await access(ref.module);
  } catch {
    throw new UsageError(`the grading module ${path.relative(process.cwd(), ref.module) || ref.module} does not exist`, spec ? 'check the --grader path' : 'this checkout has no grading API yet (grader/checks/grade.ts)');
  }
  return ref;
}

export async function gradeCommand(o: GradeCommandOptions): Promise<GradeCommandResult> {
  const lab = await resolveLab(o);
  if (o.cluster && o.backend && o.cluster !== o.backend) throw new UsageError(`--cluster ${o.cluster} and --backend ${o.backend} disagree`, 'give one of them');
  const backend = o.cluster ?? o.backend ?? 'sim';
  if (backend !== 'sim' && backend !== 'kind') throw new UsageError(`--cluster must be sim or kind, not "${backend}"`);
  const hiddenVisibility = o.hiddenVisibility ?? 'after_published';
  if (hiddenVisibility !== 'after_published' && hiddenVisibility !== 'hidden') throw new UsageError(`--hidden-visibility must be after_published or hidden, not "${hiddenVisibility}"`);
  const seed = int('--seed', o.seed, 1, 0);
  // The simulator runs one grading per core. On kind the workers share one cluster, each
  // submission in its own namespaces; the cluster, not this machine, is the limit, so two.
  const workers = int('--workers', o.workers, backend === 'kind' ? 2 : defaultWorkers(), 1);
  const timeoutMs = int('--timeout', o.timeout, 120, 1) * 1000;
  const memoryMb = int('--memory', o.memory, 1024, 32);
  const penalty = parsePenalty(o.latePenalty);
  const deadline = o.deadline !== undefined ? parseDeadline(o.deadline) : undefined;
  if (penalty.kind !== 'none' && !deadline) throw new UsageError('--late-penalty needs --deadline');
  const grader = await graderRef(o.grader);

  if (o.gradescope) {
    const resultsFile = o.gradescopeResults ?? GRADESCOPE_RESULTS;
    const executor: GradeExecutor = new PoolExecutor({ workers: 1, timeoutMs, memoryMb, grader });
    try {
      const results = await runGradescope({ lab, executor, submissionDir: o.gradescopeSubmission ?? GRADESCOPE_SUBMISSION, resultsFile, seed, backend, hiddenVisibility });
      return { mode: 'gradescope', results, resultsFile };
    } finally {
      await executor.close();
    }
  }

  if (!o.submissions) throw new UsageError('give the SUBMISSIONS folder: npm run grade -- --lab N SUBMISSIONS --out DIR');
  const executor = new PoolExecutor({ workers, timeoutMs, memoryMb, grader });
  try {
    const result = await runBatch({
      lab,
      submissionsDir: o.submissions,
      outDir: o.out,
      executor,
      graderVersion: o.graderVersion ?? (await graderVersion()),
      seed,
      backend,
      force: o.force,
      rosterFile: o.roster,
      deadline,
      penalty,
      hiddenVisibility,
      signal: o.signal,
      onProgress: o.onProgress,
    });
    return { mode: 'batch', result, lab };
  } finally {
    await executor.close();
  }
}

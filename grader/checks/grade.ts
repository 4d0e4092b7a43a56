/**
 * The grading API, used by `npm run lab` and by batch grading:
 *
 *   gradeSubmission({ lab, submission, backend: 'sim', seed: 1 }) → Report
 *
 * Flow: create and start a backend with the lab's cluster shape, apply the lab's `setup`
 * files, load and apply the submission (kubectl apply semantics: each object on its own),
 * wait for the rollout, then run the checks in order (engine.ts). Scenario checks get their
 * own fresh backend prepared the same way. Same lab + submission + seed → the same report,
 * byte for byte, except `durationMs` (see `stableReportJson`).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Backend, ClusterShape } from '../backend/types.ts';
import type { BackendName, CreateBackendOptions } from '../backend/create.ts';
import { InputError, LabDefinitionError } from '../errors.ts';
import type { Lab } from '../lab/load.ts';
import type { LoadedDocument } from '../manifests/types.ts';
import { runChecks } from './engine.ts';
import type { Report } from './report.ts';

export type BackendFactory = (name: BackendName) => Backend | Promise<Backend>;

export interface GradeOptions {
  lab: Lab;
  /** A folder or file of manifests, or documents already loaded. */
  submission: string | LoadedDocument[];
  backend?: BackendName;
  seed?: number;
  /** Add kubectl-like views of the cluster to the report. */
  explain?: boolean;
  /** Creates unstarted backends (default: grader/backend/create.ts). Tests pass a fake here. */
  backendFactory?: BackendFactory;
  /** Options for the default factory (e.g. kind's kubeContext); the lab's allowedKinds are added. */
  backendOptions?: CreateBackendOptions;
}

export interface GradeOnBackendOptions {
  lab: Lab;
  documents: LoadedDocument[];
  /** A started backend on which nothing of the lab or submission is applied yet. */
  backend: Backend;
  seed: number;
  explain?: boolean;
  /** Creates an unstarted backend for each scenario (default: one of the same name). */
  backendFactory?: BackendFactory;
  /** Notes from loading the submission, reported as warnings. */
  loadWarnings?: string[];
}

export function clusterShapeOf(lab: Lab): ClusterShape {
  const c = lab.spec.cluster;
  return { workers: c.workers, proxyMode: c.proxyMode, ingress: c.ingress, loadBalancer: c.loadBalancer };
}

// Loaded on first use (grading without them never pays for them), then kept: under a loader
// hook (tsx) every import() call is a round trip to the hook thread, even for a loaded module.
let backendModulePromise: Promise<typeof import('../backend/create.ts')> | undefined;
const backendModule = () => (backendModulePromise ??= import('../backend/create.ts'));
let manifestsModulePromise: Promise<typeof import('../manifests/load.ts')> | undefined;
const manifestsModule = () => (manifestsModulePromise ??= import('../manifests/load.ts'));

/** The default factory: grader/backend/create.ts, with the lab's allowedKinds for kind's safety checks. */
export function defaultBackendFactory(lab: Lab, opts: CreateBackendOptions = {}): BackendFactory {
  return async (name) => {
    const { createBackend } = await backendModule();
    return createBackend(name, { ...opts, ...(lab.spec.allowedKinds ? { allowedKinds: lab.spec.allowedKinds } : {}) });
  };
}

/**
 * Load manifests with the shared loader (lazily: it is only needed when grading). A lab's
 * mutant folder holds its `mutant.yaml` description beside the manifests; that file is not
 * part of the submission.
 */
export async function loadSubmission(p: string, warnings: string[] = []): Promise<LoadedDocument[]> {
  const { loadManifests } = await manifestsModule();
  // Synchronous for the reason given in manifests/load.ts (a thread-pool round trip per call).
  const isDir = statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const listing = isDir ? readdirSync(p) : [];
  if (listing.includes('mutant.yaml')) {
    const entries = listing.filter((e) => e !== 'mutant.yaml' && !e.startsWith('.')).sort();
    if (entries.length === 0) throw new InputError(p, undefined, 'the mutant folder holds only mutant.yaml', 'add the mutant manifests beside mutant.yaml');
    const docs = await loadManifests(entries.map((e) => path.join(p, e)), { warnings });
    return docs.map((d) => ({ ...d, file: path.relative(p, path.resolve(d.file)) }));
  }
  const docs = await loadManifests([p], { warnings });
  if (docs.length === 0) throw new InputError(p, undefined, 'the submission holds no Kubernetes objects', 'write your manifests (.yaml, .yml or .json) in this folder');
  return docs;
}

/**
 * Lab files per loaded lab: a lab's setup is applied for every submission (and every scenario on
 * a backend that cannot fork), and reading it again each time made a batch wait on the disk.
 * A lab loaded again (`--watch` on a lab folder) is a new Lab object with a fresh cache.
 */
const labFileCache = new WeakMap<Lab, Map<string, Promise<LoadedDocument[]>>>();

/** A lab-relative file or folder (setup, scenario `applyLabFiles`); problems are the lab author's. */
export function loadLabFiles(lab: Lab, rel: string): Promise<LoadedDocument[]> {
  let byRel = labFileCache.get(lab);
  if (!byRel) labFileCache.set(lab, (byRel = new Map()));
  let docs = byRel.get(rel);
  if (!docs) {
    byRel.set(rel, (docs = readLabFiles(lab, rel)));
    // A failure is not kept: the next attempt reads again (and reports again).
    docs.catch(() => byRel!.delete(rel));
  }
  return docs;
}

async function readLabFiles(lab: Lab, rel: string): Promise<LoadedDocument[]> {
  const { loadManifests } = await manifestsModule();
  const abs = path.resolve(lab.dir, rel);
  try {
    const docs = await loadManifests([abs]);
    // Name lab files relative to the lab folder, as the author wrote them.
    return docs.map((d) => ({ ...d, file: path.relative(lab.dir, path.isAbsolute(d.file) ? d.file : path.join(abs, d.file)) }));
  } catch (err) {
    if (err instanceof InputError && !(err instanceof LabDefinitionError)) {
      throw new LabDefinitionError(path.join(lab.dir, 'lab.yaml'), undefined, `lab file ${rel}: ${err.problem}`, err.hint ?? 'fix the lab files');
    }
    throw err;
  }
}

export async function gradeSubmission(opts: GradeOptions): Promise<Report> {
  const started = performance.now();
  const warnings: string[] = [];
  const documents = typeof opts.submission === 'string' ? await loadSubmission(opts.submission, warnings) : opts.submission;
  const factory = opts.backendFactory ?? defaultBackendFactory(opts.lab, opts.backendOptions);
  const seed = opts.seed ?? 1;
  const backend = await factory(opts.backend ?? 'sim');
  try {
    await backend.start(clusterShapeOf(opts.lab), { seed, images: opts.lab.spec.images });
    const report = await gradeOnBackend({ lab: opts.lab, documents, backend, seed, explain: opts.explain, backendFactory: factory, loadWarnings: warnings });
    report.durationMs = Math.round(performance.now() - started);
    return report;
  } finally {
    await backend.stop();
  }
}

export async function gradeOnBackend(opts: GradeOnBackendOptions): Promise<Report> {
  const started = performance.now();
  const { lab, backend, documents, seed } = opts;
  const factory = opts.backendFactory ?? defaultBackendFactory(lab);
  const setup: LoadedDocument[] = [];
  for (const rel of lab.spec.setup) setup.push(...(await loadLabFiles(lab, rel)));

  const prepare = async (b: Backend) => {
    if (setup.length) {
      const s = await b.apply(setup);
      if (s.failed.length) {
        const f = s.failed[0]!;
        throw new LabDefinitionError(path.join(lab.dir, f.file), f.line, `the lab's setup was rejected: ${f.message}`, 'fix the setup manifests of the lab');
      }
    }
    const applied = await b.apply(documents);
    const rollout = await b.waitForRollout(lab.spec.rolloutTimeoutSeconds);
    return { applied, rollout };
  };

  const { applied, rollout } = await prepare(backend);
  // Scenario checks change their cluster, so each starts from the state the checks found. A
  // backend that can fork keeps a pristine copy of that state and forks it per scenario;
  // otherwise each scenario gets a new cluster prepared the same way (same seed: same state).
  const pristine = backend.fork && lab.spec.checks.some((c) => c.type === 'scenario') ? await backend.fork() : undefined;
  const views = opts.explain ? await backend.views() : undefined;
  let scenariosLeft = lab.spec.checks.filter((c) => c.type === 'scenario').length;
  let checks;
  try {
    checks = await runChecks({
      lab,
      backend,
      loadLabFiles: (rel) => loadLabFiles(lab, rel),
      rejected: applied.failed,
      freshBackend: async () => {
        // The last scenario may have the pristine copy itself: nothing needs it afterwards.
        if (pristine?.fork) return --scenariosLeft === 0 ? pristine : pristine.fork();
        const b = await factory(backend.name);
        await b.start(clusterShapeOf(lab), { seed, images: lab.spec.images });
        await prepare(b);
        return b;
      },
    });
  } finally {
    await pristine?.stop();
  }
  // Skipped checks (a scenario kind cannot run) do not count against the student.
  const counted = checks.filter((c) => c.status !== 'skipped');
  const report: Report = {
    lab: { id: lab.spec.id, slug: lab.spec.slug, title: lab.spec.title },
    backend: backend.name,
    seed,
    score: counted.reduce((a, c) => a + c.points, 0),
    maxScore: counted.reduce((a, c) => a + c.maxPoints, 0),
    durationMs: 0,
    apply: {
      applied: applied.applied.length,
      errors: applied.failed.map((f) => (f.line !== undefined ? { file: f.file, line: f.line, message: f.message } : { file: f.file, message: f.message })),
      warnings: [...(opts.loadWarnings ?? []), ...applied.warnings],
    },
    rollout: {
      complete: rollout.complete,
      waitedSeconds: rollout.waitedSeconds,
      notReady: rollout.workloads.filter((w) => !w.ready).map((w) => w.message),
    },
    ...(views !== undefined ? { views } : {}),
    checks,
  };
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

/** The report as JSON (2-space indent, trailing newline). */
export function reportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The report as JSON with `durationMs` zeroed: equal for equal lab + submission + seed. */
export function stableReportJson(report: Report): string {
  return reportJson({ ...report, durationMs: 0 });
}

/**
 * What a student may see: hidden checks keep their status and points but lose their id,
 * title, message, hint and evidence. Batch grading keeps the full report for instructors.
 */
export function redactHidden(report: Report): Report {
  let n = 0;
  return {
    ...report,
    checks: report.checks.map((c) =>
      c.hidden ? { id: `hidden-${++n}`, title: 'hidden check', status: c.status, points: c.points, maxPoints: c.maxPoints, hidden: true, message: 'hidden check', evidence: [] } : c,
    ),
  };
}

export function allPassed(report: Report): boolean {
  return report.checks.every((c) => c.status === 'pass' || c.status === 'skipped') && report.checks.length > 0;
}

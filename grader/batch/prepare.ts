/**
 * Makes one source ready for grading: extract (archives) or collect (folders) its manifests
 * into `<work>/<fileKey>/files`, hash them, and find the submission time when a deadline is set.
 * A problem with the submission becomes a PreparedFailed with the student-facing message;
 * nothing here throws for a bad submission.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { extractTarGz, extractZip, type StagedFile } from './archive/index.ts';
import { collectFolder } from './collect.ts';
import { hashFileList } from './hash.ts';
import { SubmissionProblem, type SubmissionLimits } from './limits.ts';
import { fileKey } from './names.ts';
import { submissionTime } from './submission-time.ts';
import type { Prepared, SubmissionSource } from './types.ts';

export interface PrepareOptions {
  /** Folder for staging, inside the run's out dir. */
  workRoot: string;
  limits: SubmissionLimits;
  /** Find the submission time (only needed with a deadline; git costs a process per student). */
  wantTime: boolean;
}

export async function prepareSubmission(source: SubmissionSource, opts: PrepareOptions): Promise<Prepared> {
  if (source.problem) return { ok: false, source, ...source.problem };
  const stagedDir = path.join(opts.workRoot, fileKey(source.student), 'files');
  await rm(stagedDir, { recursive: true, force: true });
  await mkdir(stagedDir, { recursive: true });
  let files: StagedFile[];
  let latestMtimeMs: number | undefined;
  let time: Awaited<ReturnType<typeof submissionTime>>;
  try {
    if (source.kind === 'zip') files = await extractZip(source.path, stagedDir, opts.limits);
    else if (source.kind === 'tar') files = await extractTarGz(source.path, stagedDir, opts.limits);
    else ({ files, latestMtimeMs } = await collectFolder(source.path, stagedDir, opts.limits));
  } catch (err) {
    await rm(stagedDir, { recursive: true, force: true });
    time = opts.wantTime ? await submissionTime({ kind: source.kind, path: source.path }).catch(() => undefined) : undefined;
    if (err instanceof SubmissionProblem) return { ok: false, source, message: err.message, hint: err.hint, submittedAt: time?.at, submittedAtSource: time?.source };
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, source, message: `the submission could not be read (${code ?? (err as Error).message})`, hint: 'check that the files are readable and submit again', submittedAt: time?.at, submittedAtSource: time?.source };
  }
  time = opts.wantTime ? await submissionTime({ kind: source.kind, path: source.path, latestMtimeMs }) : undefined;
  const notes = time?.note ? [time.note] : [];
  if (files.length === 0) {
    return {
      ok: false,
      source,
      message: 'no Kubernetes manifests found (.yaml, .yml or .json files outside hidden folders)',
      hint: 'put your manifests in the submission; files in folders starting with "." are not read',
      submittedAt: time?.at,
      submittedAtSource: time?.source,
    };
  }
  return {
    ok: true,
    source,
    stagedDir,
    files: files.map((f) => f.rel),
    contentHash: hashFileList(files),
    submittedAt: time?.at,
    submittedAtSource: time?.source,
    notes,
  };
}

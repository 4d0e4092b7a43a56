/**
 * Shared shapes of batch grading. A batch goes: discover sources → prepare each (extract,
 * collect manifests, hash) → plan (pure: grade or reuse) → grade in workers → build rows
 * (pure) → write outputs. Each step's input and output is one of these types.
 */
import type { Report } from '../checks/report.ts';
import type { Lab } from '../lab/load.ts';
import type { LoadedDocument } from '../manifests/types.ts';

export const SourceKind = { dir: 'dir', git: 'git', zip: 'zip', tar: 'tar' } as const;
export type SourceKind = (typeof SourceKind)[keyof typeof SourceKind];

/** One entry of the SUBMISSIONS folder: a student's folder, git checkout or archive. */
export interface SubmissionSource {
  /** Student key: folder name, or archive name without its extension. */
  student: string;
  kind: SourceKind;
  /** Absolute path of the folder or archive. */
  path: string;
  /** Set when the entry cannot be graded at all (e.g. a symbolic link, two entries for one student). */
  problem?: { message: string; hint?: string };
}

/** A submission made ready for grading: its manifests copied into a private staging folder. */
export interface PreparedOk {
  ok: true;
  source: SubmissionSource;
  /** Folder holding only the submission's manifest files, same relative paths. */
  stagedDir: string;
  /** Relative paths of the manifests, sorted. */
  files: string[];
  /** sha256 over the manifests' relative paths and contents. */
  contentHash: string;
  /** ISO time of submission when a deadline is in force. */
  submittedAt?: string;
  /** How submittedAt was found: `git` (HEAD commit time) or `mtime`. */
  submittedAtSource?: 'git' | 'mtime';
  notes: string[];
}

export interface PreparedFailed {
  ok: false;
  source: SubmissionSource;
  message: string;
  hint?: string;
  submittedAt?: string;
  submittedAtSource?: 'git' | 'mtime';
}

export type Prepared = PreparedOk | PreparedFailed;

export const ErrorReason = {
  /** The submission itself is malformed or hostile (archive, YAML, limits): the student fixes it. */
  submission: 'submission',
  /** Grading took longer than the per-submission limit. */
  timeout: 'timeout',
  /** Grading exceeded the per-submission memory limit. */
  memory: 'memory',
  /** The grader failed unexpectedly: not the student's fault. */
  crash: 'crash',
} as const;
export type ErrorReason = (typeof ErrorReason)[keyof typeof ErrorReason];

/** What grading one submission produced. */
export type GradeOutcome =
  | { kind: 'report'; report: Report }
  | {
      kind: 'error';
      reason: ErrorReason;
      message: string;
      hint?: string;
      /** Deterministic failures are kept on resume; infrastructure ones (timeout, crash) are retried. */
      cacheable: boolean;
    };

/** The grading API (grader/checks/grade.ts) as batch grading calls it. */
export type GradeFn = (opts: {
  lab: Lab;
  submission: string | LoadedDocument[];
  backend?: 'sim' | 'kind';
  seed?: number;
}) => Promise<Report>;

/** Where a worker finds the grading function: a module file and the name of its export. */
export interface GraderRef {
  module: string;
  export: string;
}

export const RowStatus = { graded: 'graded', error: 'error', missing: 'missing' } as const;
export type RowStatus = (typeof RowStatus)[keyof typeof RowStatus];

export interface Lateness {
  deadline: string;
  submittedAt: string;
  source: 'git' | 'mtime';
  /** Milliseconds after the deadline; 0 when on time. */
  lateMs: number;
  /** Percentage taken off the score. */
  penaltyPercent: number;
}

/** One student's line in every output. */
export interface StudentRow {
  student: string;
  /** File-system-safe form of `student`, used for feedback and state file names. */
  fileKey: string;
  id?: string;
  name?: string;
  status: RowStatus;
  score: number;
  maxScore: number;
  /** Score after the late penalty (equal to score without one). */
  finalScore: number;
  lateness?: Lateness;
  /** For errors: what went wrong and what to fix. */
  message?: string;
  hint?: string;
  errorReason?: ErrorReason;
  report?: Report;
  /** Where the submission came from (folder, git, zip, tar). */
  source?: SourceKind;
}

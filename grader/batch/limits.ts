/**
 * Limits that keep one hostile submission from costing more than its own row. Defaults fit
 * Kubernetes manifests comfortably (a whole lab is a few kilobytes) while refusing bombs.
 */
export interface SubmissionLimits {
  /** Entries an archive may hold (files and folders). */
  maxEntries: number;
  /** Sum of uncompressed sizes of an archive's entries. */
  maxTotalBytes: number;
  /** Uncompressed size over compressed size, for archives larger than `ratioFloorBytes` uncompressed. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** One manifest file. */
  maxFileBytes: number;
  /** Manifest files in one submission. */
  maxManifests: number;
  /** Folder depth below the submission root. */
  maxDepth: number;
  /** Files and folders walked in a folder submission (stops walks of huge trees). */
  maxWalkEntries: number;
}

export const defaultLimits: SubmissionLimits = {
  maxEntries: 5_000,
  // Also bounds what a batch holds in memory while unpacking several archives at once.
  maxTotalBytes: 20 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
  maxFileBytes: 1024 * 1024,
  maxManifests: 500,
  maxDepth: 16,
  maxWalkEntries: 20_000,
};

/** A submission that cannot be graded as given; `message` says what is wrong, `hint` what to do. */
export class SubmissionProblem extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'SubmissionProblem';
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 ? 1 : 0)} KiB`;
  return `${n} bytes`;
}

/**
 * Limits on what one submission may contain. A grader reads files written by students (or by
 * anyone who can upload an archive), so every unbounded input has a ceiling that fails with a
 * clear message instead of exhausting memory or the stack.
 */
export interface LoadLimits {
  /** Largest single file, in bytes. The apiserver's own request limit is 3 MiB; 1 MiB is plenty for manifests. */
  maxFileBytes: number;
  /** All files of one submission together, in bytes. */
  maxTotalBytes: number;
  /** Documents (after List expansion) in one submission. */
  maxDocuments: number;
  /** YAML aliases resolved per document (alias bombs, "billion laughs"). */
  maxAliasCount: number;
  /** Nesting depth of maps and lists in one document. */
  maxDepth: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = {
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 10 * 1024 * 1024,
  maxDocuments: 2000,
  maxAliasCount: 100,
  maxDepth: 100,
};

/** `1048576` → `1 MiB`, for messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

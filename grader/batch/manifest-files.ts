/**
 * Which files of a submission are manifests, and whether a manifest's bytes are acceptable.
 * Shared by folder submissions and archives so both are judged by the same rules.
 */
import { SubmissionProblem, formatBytes, type SubmissionLimits } from './limits.ts';

const manifestExt = /\.(ya?ml|json)$/i;

/**
 * Folders and files that are never manifests even with a manifest extension: version-control
 * and tooling metadata (`.git/`, `.github/workflows/*.yml` of GitHub Classroom), macOS archive
 * residue, package manifests of JavaScript tooling.
 */
function skippedSegment(seg: string): boolean {
  return seg.startsWith('.') || seg === 'node_modules' || seg === '__MACOSX';
}
const notManifests = new Set(['package.json', 'package-lock.json', 'tsconfig.json', 'composer.json']);

/** `rel` uses forward slashes and is relative to the submission root. */
export function isManifestPath(rel: string): boolean {
  const segs = rel.split('/');
  if (segs.some(skippedSegment)) return false;
  const base = segs[segs.length - 1]!;
  return manifestExt.test(base) && !notManifests.has(base.toLowerCase());
}

/** Whether a folder may hold manifests at all (so walks skip `.git/` and friends). */
export function isWalkedFolder(name: string): boolean {
  return !skippedSegment(name);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Throws SubmissionProblem unless `bytes` is a text file of acceptable size. */
export function acceptManifest(rel: string, bytes: Uint8Array, limits: SubmissionLimits): void {
  if (bytes.length > limits.maxFileBytes) {
    throw new SubmissionProblem(`${rel} is ${formatBytes(bytes.length)}, over the ${formatBytes(limits.maxFileBytes)} limit for one manifest`, 'submit only your manifests; a lab needs a few kilobytes of YAML');
  }
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) {
    throw new SubmissionProblem(`${rel} is a binary file, not YAML or JSON`, `remove ${rel} or save it as plain text`);
  }
  try {
    utf8.decode(bytes);
  } catch {
    throw new SubmissionProblem(`${rel} is not UTF-8 text`, `save ${rel} as UTF-8 (most editors offer this under "Save with encoding")`);
  }
}

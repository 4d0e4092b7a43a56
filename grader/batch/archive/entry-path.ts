/**
 * Validation of one archive entry's path, before anything is written: the entry must stay
 * inside the extraction folder. Archive tools differ on what they strip or allow, so every
 * case is refused explicitly with a message the student can act on.
 */
import path from 'node:path';
import { SubmissionProblem } from '../limits.ts';

const rezip = 're-create the archive from inside your submission folder (e.g. `zip -r ../lab.zip .`), without links or paths outside it';

/**
 * Returns the entry's normalised relative path (forward slashes, no `.` segments, no trailing
 * slash), or throws SubmissionProblem. `root` is the absolute extraction folder.
 */
export function validateEntryPath(root: string, name: string, maxDepth: number): string {
  if (name.length === 0) throw new SubmissionProblem('the archive has an entry with an empty name', rezip);
  if (name.includes('\0')) throw new SubmissionProblem(`archive entry ${JSON.stringify(name)} has a NUL character in its name`, rezip);
  if (name.includes('\\')) throw new SubmissionProblem(`archive entry ${JSON.stringify(name)} uses backslashes in its path`, rezip);
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) {
    throw new SubmissionProblem(`archive entry ${JSON.stringify(name)} has an absolute path, which would write outside the submission`, rezip);
  }
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    throw new SubmissionProblem(`archive entry ${JSON.stringify(name)} climbs out of its folder with "..", which would write outside the submission`, rezip);
  }
  if (segments.length === 0) throw new SubmissionProblem(`archive entry ${JSON.stringify(name)} names no file`, rezip);
  if (segments.length > maxDepth) {
    throw new SubmissionProblem(`archive entry ${JSON.stringify(name)} is nested ${segments.length} folders deep (limit ${maxDepth})`, 'keep manifests in a shallow folder structure');
  }
  const rel = segments.join('/');
  // Belt and braces: the resolved path must stay below root whatever the platform's rules.
  const abs = path.resolve(root, rel);
  if (!abs.startsWith(root + path.sep)) {
    throw new SubmissionProblem(`archive entry ${JSON.stringify(name)} resolves outside the submission folder`, rezip);
  }
  return rel;
}

/**
 * Checks and creates the `--out` folder before anything is written to it. A file given as
 * `--out`, or `--out` naming the submissions folder itself, are usage mistakes: the first
 * used to surface as an internal EEXIST error, the second mixed the outputs (feedback/,
 * gradescope/) into the class so the next run graded them as students.
 */
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';

/** Resolves symlinks of the longest existing prefix, so `out` and `subs/.` compare equal. */
async function canonical(p: string): Promise<string> {
  const abs = path.resolve(p);
  try {
    return await realpath(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(await canonical(parent), path.basename(abs));
  }
}

/** Creates `outDir` (absolute) or throws UsageError saying which folder to give instead. */
export async function prepareOutDir(outDir: string, submissionsDir: string): Promise<void> {
  const relative = path.relative(process.cwd(), outDir);
  const shown = relative === '' ? '.' : relative.startsWith('..') ? outDir : relative;
  if ((await canonical(outDir)) === (await canonical(submissionsDir))) {
    throw new UsageError(
      `--out ${shown} is the submissions folder: the outputs (feedback/, gradescope/) would be graded as students on the next run`,
      'give an output folder outside SUBMISSIONS, e.g. --out grades/',
    );
  }
  const st = await stat(outDir).catch(() => undefined);
  if (st && !st.isDirectory()) throw new UsageError(`--out ${shown} is a file, not a folder`, 'give a folder for the outputs (it is created if missing)');
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of the path is a file' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied' : (code ?? 'unknown error');
    throw new UsageError(`cannot create the output folder ${shown}: ${why}`, 'give a folder you can write to with --out');
  }
}

/**
 * When a submission was handed in: the commit time of HEAD for a git checkout, otherwise the
 * modification time of the archive or of the newest manifest.
 *
 * git runs with a hardened configuration because the repository is the student's: no system
 * or global config, no signature verification (gpg.program could run a program), an explicit
 * --git-dir so git never walks up into an enclosing repository. Repositories that borrow
 * objects from elsewhere (alternates, worktrees' commondir) would make git read outside the
 * submission, so for them we fall back to file times.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

export interface SubmissionTime {
  at: string;
  source: 'git' | 'mtime';
  note?: string;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

export async function gitCommitTime(checkout: string): Promise<{ at?: string; note?: string }> {
  const gitDir = path.join(checkout, '.git');
  if (await exists(path.join(gitDir, 'objects', 'info', 'alternates'))) return { note: 'the git repository borrows objects from another repository; using file times' };
  if (await exists(path.join(gitDir, 'commondir'))) return { note: 'the git folder belongs to a worktree elsewhere; using file times' };
  try {
    const { stdout } = await execa(
      'git',
      ['--git-dir', gitDir, '-c', 'safe.directory=*', '-c', 'log.showSignature=false', '-c', 'core.fsmonitor=false', 'log', '-1', '--format=%cI'],
      { env: { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' }, timeout: 10_000, stdin: 'ignore' },
    );
    const at = stdout.trim();
    if (!at || Number.isNaN(Date.parse(at))) return { note: 'git did not report a commit time; using file times' };
    return { at: new Date(at).toISOString() };
  } catch {
    return { note: 'the git repository could not be read (no commits?); using file times' };
  }
}

export async function submissionTime(opts: { kind: 'dir' | 'git' | 'zip' | 'tar'; path: string; latestMtimeMs?: number }): Promise<SubmissionTime | undefined> {
  let note: string | undefined;
  if (opts.kind === 'git') {
    const g = await gitCommitTime(opts.path);
    if (g.at) return { at: g.at, source: 'git' };
    note = g.note;
  }
  if (opts.kind === 'zip' || opts.kind === 'tar') return { at: new Date((await lstat(opts.path)).mtimeMs).toISOString(), source: 'mtime', note };
  if (opts.latestMtimeMs !== undefined) return { at: new Date(opts.latestMtimeMs).toISOString(), source: 'mtime', note };
  return undefined;
}

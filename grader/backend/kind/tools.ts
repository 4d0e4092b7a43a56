/**
 * The host tools the kind backend drives (`kind`, `docker`), behind a narrow runner
 * interface so every command can be faked in unit tests.
 */
import { KubelabError } from '../../errors.ts';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommandRunner {
  run(command: string, args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<RunResult>;
}

/** The real runner, through execa. Imported lazily so the simulator path never loads it. */
export const execaRunner: CommandRunner = {
  async run(command, args, opts = {}) {
    const { execa } = await import('execa');
    const r = await execa(command, args, {
      input: opts.input,
      timeout: opts.timeoutMs,
      reject: false,
      stripFinalNewline: true,
    });
    return {
      exitCode: typeof r.exitCode === 'number' ? r.exitCode : r.failed ? 127 : 0,
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
    };
  },
};

/** Missing tools are the user's environment, not a bug: say how to fix it, or how to avoid it. */
export class ToolMissingError extends KubelabError {}

export interface ToolReport {
  kind?: string;
  docker?: string;
  problems: string[];
}

/** Probe `kind version` and `docker info`; an engine that is not running counts as missing. */
export async function checkTools(runner: CommandRunner): Promise<ToolReport> {
  const report: ToolReport = { problems: [] };
  const kind = await runner.run('kind', ['version'], { timeoutMs: 10_000 }).catch(() => undefined);
  if (!kind || kind.exitCode !== 0) {
    report.problems.push('`kind` was not found on PATH. Install it: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (e.g. `go install sigs.k8s.io/kind@v0.29.0`).');
  } else {
    report.kind = kind.stdout.trim();
  }
  const docker = await runner.run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 }).catch(() => undefined);
  if (!docker || docker.exitCode !== 0) {
    report.problems.push('No Docker engine answered `docker info`. Install Docker (https://docs.docker.com/engine/install/) and start it, or use Podman with KIND_EXPERIMENTAL_PROVIDER=podman.');
  } else {
    report.docker = docker.stdout.trim();
  }
  return report;
}

export async function requireTools(runner: CommandRunner): Promise<ToolReport> {
  const report = await checkTools(runner);
  if (report.problems.length) {
    throw new ToolMissingError(
      `cannot grade on kind: ${report.problems.join(' ')}`,
      'or grade on the simulated cluster instead, which needs nothing installed: drop `--cluster kind` (the default is `--cluster sim`)',
    );
  }
  return report;
}

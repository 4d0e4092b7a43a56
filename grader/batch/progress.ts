/** The progress bar of a batch: cli-progress on a terminal, nothing otherwise (logs stay clean). */
import cliProgress from 'cli-progress';
import type { BatchProgress } from './run.ts';

export interface ProgressView {
  update(p: BatchProgress): void;
  stop(): void;
}

export function progressBar(stream: NodeJS.WriteStream): ProgressView {
  if (!stream.isTTY) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  let phase: BatchProgress['phase'] | undefined;
  return {
    update(p) {
      // One bar per phase: unpacking archives, then grading.
      if (p.phase !== phase) {
        bar?.stop();
        phase = p.phase;
        const label = p.phase === 'prepare' ? 'reading  ' : 'grading  ';
        bar = new cliProgress.SingleBar(
          { stream, format: `${label}|{bar}| {value}/{total} | ${p.phase === 'prepare' ? 'unreadable' : 'failed'} {failed} | {eta_formatted} left`, hideCursor: true, etaBuffer: 50, clearOnComplete: false },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, p.done, { failed: p.failed });
      } else bar!.update(p.done, { failed: p.failed });
    },
    stop() {
      bar?.stop();
    },
  };
}

/**
 * The registry of bench sections, in the order they run. Add a section here (e.g. per-lab
 * grading time, the simulator scale case) and `npm run bench` prints it.
 */
import { batchSection } from './batch.ts';
import { gradingSection } from './grading.ts';
import { simCorpusSection } from './sim-corpus.ts';
import { simLabsSection } from './sim-labs.ts';
import { simScaleSection } from './sim-scale.ts';
import type { BenchSection } from './types.ts';

export const sections: BenchSection[] = [batchSection, simLabsSection, gradingSection, simCorpusSection, simScaleSection];

export function findSection(name: string): BenchSection | undefined {
  return sections.find((s) => s.name === name);
}

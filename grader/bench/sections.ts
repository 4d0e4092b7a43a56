/**
 * The registry of bench sections, in the order they run. Add a section here (e.g. per-lab
 * grading time, the simulator scale case) and `npm run bench` prints it.
 */
import { batchSection } from './batch.ts';
import type { BenchSection } from './types.ts';

export const sections: BenchSection[] = [batchSection];

export function findSection(name: string): BenchSection | undefined {
  return sections.find((s) => s.name === name);
}

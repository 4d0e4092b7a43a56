export type { BenchSection, BenchTable, BenchContext, Cell } from './types.ts';
export { sections, findSection } from './sections.ts';
export { renderTable } from './table.ts';
export { withPeakRss } from './peak-memory.ts';

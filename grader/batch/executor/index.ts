export type { GradeExecutor, GradeTask } from './types.ts';
export { PoolExecutor, defaultWorkers, type PoolOptions } from './pool.ts';
export { InlineExecutor, type InlineOptions } from './inline.ts';
export { outcomeFromError } from './outcome.ts';

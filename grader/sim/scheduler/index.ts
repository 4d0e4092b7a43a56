export * from './filters.ts';
export * from './fit-error.ts';
export * from './quantity.ts';
export * from './resources.ts';
export * from './scheduler.ts';
export * from './scoring.ts';
export * from './taints.ts';

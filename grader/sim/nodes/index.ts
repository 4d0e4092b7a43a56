export * from './cache.ts';
export * from './ops.ts';
export * from './state.ts';
export * from './topology.ts';

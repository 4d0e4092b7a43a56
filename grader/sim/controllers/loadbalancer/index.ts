export * from './pool.ts';
export * from './l2.ts';
export * from './controller.ts';

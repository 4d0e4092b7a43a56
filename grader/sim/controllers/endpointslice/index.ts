export * from './reconcile.ts';
export * from './endpoints.ts';
export * from './selector-index.ts';
export * from './controller.ts';

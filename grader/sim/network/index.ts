export * from './ip.ts';
export * from './objects.ts';
export * from './state.ts';
export * from './runtime.ts';
export * from './system.ts';
export * from './version.ts';
export * from './record.ts';

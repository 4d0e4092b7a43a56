export * from './origin.ts';
export * from './path.ts';
export * from './probe.ts';

export * from './api.ts';
export * from './conditions.ts';
export * from './env.ts';
export * from './kubelet.ts';
export * from './probes.ts';

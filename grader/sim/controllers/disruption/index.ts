export * from './disruption.ts';
export * from './status.ts';

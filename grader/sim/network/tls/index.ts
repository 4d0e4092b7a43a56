export * from './cert.ts';
export * from './fake-cert.ts';
export * from './generate.ts';

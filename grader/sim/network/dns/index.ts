export * from './parse.ts';
export * from './lookup.ts';
export * from './handler.ts';
export * from './resolver.ts';
export * from './internet.ts';

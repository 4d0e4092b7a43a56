export * from './types.ts';
export * from './reference.ts';
export * from './catalog.ts';
export * from './lab-image.ts';
export * from './shell.ts';

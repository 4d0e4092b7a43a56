export * from './plugins.ts';

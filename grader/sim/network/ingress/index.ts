export * from './annotations.ts';
export * from './classes.ts';
export * from './model.ts';
export * from './match.ts';
export * from './router.ts';
export * from './pages.ts';
export * from './install.ts';
export * from './status.ts';

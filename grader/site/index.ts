export { buildSite, generateSite, type BuildResult, type GeneratedSite, type LabProblem, type SiteOptions } from './build.ts';
export { serveSite, resolveRequest } from './serve.ts';
export { renderReadme, slugify, type RenderedReadme } from './markdown.ts';
export { zipStarter } from './archive.ts';
export { MARKER, writeSite, type WriteStats } from './output.ts';

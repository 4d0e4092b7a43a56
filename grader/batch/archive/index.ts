export { extractZip } from './zip.ts';
export { extractTarGz } from './tar.ts';
export { validateEntryPath } from './entry-path.ts';
export { writeStaged, type StagedFile } from './stage.ts';

export { KindBackend, type KindBackendOptions } from './backend.ts';
export { checkTools, requireTools, ToolMissingError } from './tools.ts';
export { generateKindConfig, KIND_NODE_IMAGE, KIND_VERSION_TESTED } from './config.ts';
export { checkSafety, DEFAULT_ALLOWED_KINDS } from './safety.ts';
export { runCleanups } from './cleanup.ts';

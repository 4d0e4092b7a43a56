export { CORPUS_CASES, V1BETA1_INGRESS_VARIANT } from './table.ts';
export { runCase, stepDocuments, type CaseOutcome } from './run.ts';
export { checkApply, checkExpect, type CorpusCase, type Expect, type Step } from './expectation.ts';
export { CORPUS_ROOT, corpusAvailable, loadFiles, newCluster, readyEndpointIPs } from './harness.ts';

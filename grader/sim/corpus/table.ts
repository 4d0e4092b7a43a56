/** The whole expectations table, in INDEX.md order. */
import type { CorpusCase } from './expectation.ts';
import { collisionCases, exampleCases, ingressNginxCases, websiteAppCases, websiteServiceCases } from './cases/index.ts';

export const CORPUS_CASES: readonly CorpusCase[] = [...websiteAppCases, ...websiteServiceCases, ...exampleCases, ...ingressNginxCases, ...collisionCases];

/** The v1beta1 Ingress kept under _variants/: not served since 1.22. */
export const V1BETA1_INGRESS_VARIANT = '_variants/kubernetes__website/3e76786ba68f1fbb01d4a4f6fe9340e3f7b1fca1/content/en/examples/service/networking/example-ingress.yaml';

export { gradeSubmission, gradeOnBackend, defaultBackendFactory, reportJson, stableReportJson, redactHidden, allPassed, clusterShapeOf, loadSubmission, loadLabFiles, type GradeOptions, type GradeOnBackendOptions, type BackendFactory } from './grade.ts';
export { runChecks, runCheck, OPERATIONS, type EngineEnv } from './engine.ts';
export type { CheckOutcome, CheckContext, Operation } from './types.ts';
export type { Report, CheckResult, Evidence, CheckStatus } from './report.ts';

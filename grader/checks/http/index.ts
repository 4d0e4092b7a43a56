export { exec, judge, certificateProblem, hostMatches, type HttpSpec } from './http.ts';
export { prepareRequest, describeAnswer, explainError, observedOf, snippet, type PreparedRequest } from './request.ts';

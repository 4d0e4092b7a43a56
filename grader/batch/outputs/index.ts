export { renderCsv } from './csv.ts';
export { renderResultsJson, type ResultsFile } from './results-json.ts';
export { renderFeedbackMarkdown, renderFeedbackHtml, mdText } from './feedback.ts';
export { toGradescope, renderGradescope, type GradescopeResults, type GradescopeTest, type GradescopeVisibility } from './gradescope.ts';
export { renderJunit } from './junit.ts';
export { summarize, formatSummary, type Summary, type GradeChange } from './summary.ts';
export { writeOutputs, outputPaths, type OutputPaths, type OutputOptions } from './write.ts';

export { exec, type ScenarioSpec } from './scenario.ts';
export { runAction, describeAction, type ActionRun } from './actions.ts';
export { readValue, describeSource } from './values.ts';

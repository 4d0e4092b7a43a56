export { exec, type DistributionSpec } from './distribution.ts';

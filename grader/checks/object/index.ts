export { exec, expandMatch, type ObjectSpec } from './object.ts';

// Worker threads on Node 20 do not inherit the parent's `--import tsx` module hooks, so the
// worker registers tsx itself before loading the TypeScript body.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./worker.ts');
export default mod.default;

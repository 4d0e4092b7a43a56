/** A node's allocatable cpu (millicores), memory (bytes) and pods, parsed once per Node object version. */
import type { Node } from '../api/types.ts';
import { cpuMillis, memoryBytes, parseQuantity } from './quantity.ts';

export interface Allocatable {
  cpu: number;
  memory: number;
  pods: number;
}

// Store objects are replaced on every write, so the object itself is a fine cache key.
const parsed = new WeakMap<Node, Allocatable>();

export function allocatableOf(node: Node): Allocatable {
  let a = parsed.get(node);
  if (!a) {
    const al = node.status?.allocatable ?? {};
    a = { cpu: cpuMillis(al.cpu), memory: memoryBytes(al.memory), pods: parseQuantity(al.pods) ?? 0 };
    parsed.set(node, a);
  }
  return a;
}

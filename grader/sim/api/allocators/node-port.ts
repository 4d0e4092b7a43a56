/**
 * NodePort allocation in 30000-32767 (the apiserver's --service-node-port-range default), as
 * pkg/registry/core/service/portallocator: ports are unique cluster-wide (every node listens
 * on every NodePort), dynamic ports come at random from above the static band (86 ports for
 * the default range, KEP-3668), and errors read like the portallocator's.
 */
import type { Rng } from '../../../util/rng.ts';
import { RangeAllocator, rangeOffset } from './range.ts';

export const NODE_PORT_RANGE = { first: 30000, last: 32767 } as const;

export class NodePortAllocator {
  private readonly range: RangeAllocator;
  readonly rangeText: string;

  constructor(rng: Rng, first: number = NODE_PORT_RANGE.first, last: number = NODE_PORT_RANGE.last) {
    this.range = new RangeAllocator(first, last, rangeOffset(last - first + 1, 16, 128, 32), rng);
    this.rangeText = `${first}-${last}`;
  }

  allocate(port: number): { ok: true } | { ok: false; message: string } {
    switch (this.range.allocate(port)) {
      case 'not-in-range':
        return { ok: false, message: `provided port is not in the valid range. The range of valid ports is ${this.rangeText}` };
      case 'allocated':
        return { ok: false, message: 'provided port is already allocated' };
      default:
        return { ok: true };
    }
  }

  allocateNext(): number | undefined {
    return this.range.allocateNext();
  }

  release(port: number | undefined): void {
    if (port) this.range.release(port);
  }

  has(port: number): boolean {
    return this.range.has(port);
  }
}

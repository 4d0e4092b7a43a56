/**
 * The image catalogue: which images the simulated kubelet can "pull", matched by repository
 * (Docker Hub's docker.io/library/ prefix, tags and digests ignored), built-in entries first,
 * lab-provided ones (lab.yaml `images:`) added or replacing them.
 */
import type { ImageCatalog, ImageSpec } from './types.ts';
import { parseImageReference } from './reference.ts';
import { webImages } from './builtin/web.ts';
import { dataImages } from './builtin/data.ts';
import { systemImages } from './builtin/system.ts';
import { toolImages } from './builtin/tools.ts';

export function builtinImages(): ImageSpec[] {
  return [...webImages, ...dataImages, ...systemImages, ...toolImages];
}

/** The repository key of a name or reference: `docker.io/library/nginx:1.25` → `nginx`. */
export function repositoryKey(nameOrRef: string): string | undefined {
  const r = parseImageReference(nameOrRef);
  return r.ok ? r.repository : undefined;
}

export class Catalog implements ImageCatalog {
  private byRepo = new Map<string, ImageSpec>();

  constructor(specs: ImageSpec[] = builtinImages()) {
    for (const s of specs) this.register(s);
  }

  lookup(image: string): ImageSpec | undefined {
    const key = repositoryKey(image);
    return key === undefined ? undefined : this.byRepo.get(key);
  }

  register(spec: ImageSpec): void {
    for (const n of spec.names) {
      const key = repositoryKey(n);
      if (key !== undefined) this.byRepo.set(key, spec);
    }
  }

  /** Every repository known, sorted (for docs and error hints). */
  repositories(): string[] {
    return [...this.byRepo.keys()].sort();
  }
}

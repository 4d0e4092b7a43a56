/** A manifest document as loaded from a file: the object plus where it came from. */
import type { KubeObject } from '../sim/api/types.ts';

export interface LoadedDocument {
  object: KubeObject;
  /** Path as the user gave it (relative to the submission root when loaded from a folder). */
  file: string;
  /** 1-based line where the document (or List item) starts. */
  line: number;
}

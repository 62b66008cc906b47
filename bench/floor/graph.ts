/** The floor program's input (bench/scale.mts writes it from a real run's exported state). */
export interface FloorResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  readonly dependencies: readonly string[];
  /** What the real resource stored as outputs (secret values replaced by filler of the same length). */
  readonly props: Record<string, unknown>;
  readonly secretOutputs: readonly string[];
}

export interface FloorGraph {
  /** Per resource kind (`<module>:<Type>`), milliseconds each operation sleeps. */
  readonly sleepMs: Record<string, { create: number; read: number; update: number; delete: number }>;
  readonly resources: readonly FloorResource[];
  /** Filler of the real stack outputs' size. */
  readonly stackOutputBytes: number;
}

/**
 * The contract between the tiny serialized provider (providers/dynamic.ts) and the installed runtime.
 * Plain JSON-like values only: this is what crosses the engine's gRPC boundary.
 */
export type Props = Record<string, unknown>;

/** What `configure` receives: the whole stack config, already decrypted. Keys are `<namespace>:<name>`. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs?: Props;
  failures?: CheckFailure[];
}
export interface DiffResult {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}
export interface CreateResult {
  id: string;
  outs?: Props;
}
export interface ReadResult {
  id?: string;
  props?: Props;
  inputs?: Props;
}
export interface UpdateResult {
  outs?: Props;
}

/** One resource kind's implementation inside the runtime. `check` and `diff` must do no I/O. */
export interface KindHandler {
  check?(olds: Props, news: Props): Promise<CheckResult> | CheckResult;
  diff?(id: string, olds: Props, news: Props): Promise<DiffResult> | DiffResult;
  create(inputs: Props): Promise<CreateResult>;
  read?(id: string, props: Props | undefined): Promise<ReadResult>;
  update?(id: string, olds: Props, news: Props): Promise<UpdateResult>;
  delete?(id: string, props: Props): Promise<void>;
}

/**
 * What `require("@altinn-onboarding/providers/runtime")` returns: the provider shell's methods, one for one.
 * Props still carry `__provider` and `resourceKind`; the runtime strips both before a KindHandler sees them.
 */
export interface ProviderRuntime {
  configure(config: ConfigSource): void;
  check(olds: Props, news: Props): Promise<CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<DiffResult>;
  create(inputs: Props): Promise<CreateResult>;
  read(id: string, props: Props | undefined): Promise<ReadResult>;
  update(id: string, olds: Props, news: Props): Promise<UpdateResult>;
  delete(id: string, props: Props): Promise<void>;
}

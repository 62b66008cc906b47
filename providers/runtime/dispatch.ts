/**
 * The dispatcher behind the provider shell: every dynamic resource carries a `resourceKind` property, and the
 * shell's methods land here, which hands them to that kind's handler. It knows no kind itself: the registry
 * (../kinds.ts) is passed in, so the runtime imports no service.
 */
import type { ConfigSource, KindHandler, Props, ProviderRuntime } from "./contract.js";
import { setConfig } from "./config.js";
import { ResourceInitError } from "./errors.js";
import { watchEngineOnce } from "./watchdog.js";

const KIND = "resourceKind";

export interface KindRegistry {
  /** Handlers by kind name (`<module>:<Type>`). */
  readonly kinds: Readonly<Record<string, KindHandler>>;
  /** Former kind names (as older state stores them in `resourceKind`) -> the current name. */
  readonly aliases?: Readonly<Record<string, string>>;
}

function kindOf(...candidates: (Props | undefined)[]): string {
  for (const props of candidates) {
    const k = props?.[KIND];
    if (typeof k === "string" && k !== "") return k;
  }
  throw new Error(
    "altinn-onboarding: this resource has no resourceKind. `pulumi import` and `get` cannot create dynamic " +
      "resources (pulumi/pulumi#16175): declare the resource with its `adopt` input instead.",
  );
}

/** Strips the engine-owned `__provider` and our `resourceKind` before a handler sees the props. */
function plain(props: Props | undefined): Props {
  if (!props) return {};
  const { __provider: _provider, [KIND]: _kind, ...rest } = props;
  return rest;
}

function tagged(kind: string, props: Props | undefined): Props | undefined {
  return props === undefined ? undefined : { ...props, [KIND]: kind };
}

export function createRuntime(registry: KindRegistry): ProviderRuntime {
  /** The current name and handler of a kind name found in props (which may be a former name). */
  const resolve = (found: string): { kind: string; handler: KindHandler } => {
    watchEngineOnce(); // inside Pulumi's dynamic-provider host: exit when the engine is gone (watchdog.ts)
    const kind = registry.aliases?.[found] ?? found;
    const handler = registry.kinds[kind];
    if (!handler) {
      throw new Error(
        `altinn-onboarding: the installed provider runtime has no resource kind "${found}". ` +
          "The state was written by a newer or different version: install that version (npm ci) and retry.",
      );
    }
    return { kind, handler };
  };

  return {
    configure(config: ConfigSource): void {
      watchEngineOnce();
      setConfig(config);
    },
    async check(olds, news) {
      const { kind, handler } = resolve(kindOf(news, olds));
      if (!handler.check) return { inputs: tagged(kind, news) };
      const result = await handler.check(plain(olds), plain(news));
      return { ...result, inputs: tagged(kind, result.inputs) };
    },
    async diff(id, olds, news) {
      const { handler } = resolve(kindOf(news, olds));
      // Without a diff the engine compares inputs itself; every kind should provide one.
      return handler.diff ? await handler.diff(id, plain(olds), plain(news)) : {};
    },
    async create(inputs) {
      const { kind, handler } = resolve(kindOf(inputs));
      try {
        const result = await handler.create(plain(inputs));
        return { id: result.id, outs: tagged(kind, result.outs ?? plain(inputs)) };
      } catch (e) {
        if (!(e instanceof ResourceInitError)) throw e;
        // The shape Pulumi's dynamic-provider host turns into "created, but failed to initialise": the id and
        // outputs are kept in state. The outputs carry `__provider`, which later reads and deletes need.
        throw Object.assign(new Error(e.message), {
          id: e.id,
          properties: { ...tagged(kind, e.outs), __provider: inputs.__provider },
          reasons: [e.message],
        });
      }
    },
    async read(id, props) {
      const { kind, handler } = resolve(kindOf(props));
      if (!handler.read) return { id, props: props ?? {} };
      const result = await handler.read(id, plain(props));
      return { ...result, props: tagged(kind, result.props), inputs: tagged(kind, result.inputs) };
    },
    async update(id, olds, news) {
      const { kind, handler } = resolve(kindOf(news, olds));
      if (!handler.update) throw new Error(`altinn-onboarding: resource kind "${kind}" cannot be updated in place`);
      const result = await handler.update(id, plain(olds), plain(news));
      return { outs: tagged(kind, result.outs ?? plain(news)) };
    },
    async delete(id, props) {
      const { handler } = resolve(kindOf(props));
      if (handler.delete) await handler.delete(id, plain(props));
    },
  };
}

/**
 * The provider runtime: loaded by package name (`@altinn-onboarding/providers/runtime`) inside Pulumi's
 * dynamic-provider process at call time, by the shared provider shell (see ../dynamic.ts). One instance per
 * process, so module state here (config, token caches, HTTP pools) is shared by every dynamic resource of one
 * deployment. It dispatches on the `resourceKind` property every resource carries.
 */
import type { ConfigSource, KindHandler, Props, ProviderRuntime } from "./contract.js";
import { kinds } from "./kinds.js";
import { setConfig } from "./config.js";

export type * from "./contract.js";

const KIND = "resourceKind";

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

function handler(kind: string): KindHandler {
  const h = kinds[kind];
  if (!h) {
    throw new Error(
      `altinn-onboarding: the installed provider runtime has no resource kind "${kind}". ` +
        "The state was written by a newer or different version: install that version (npm ci) and retry.",
    );
  }
  return h;
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

export const runtime: ProviderRuntime = {
  configure(config: ConfigSource): void {
    setConfig(config);
  },
  async check(olds, news) {
    const kind = kindOf(news, olds);
    const h = handler(kind);
    if (!h.check) return { inputs: news };
    const result = await h.check(plain(olds), plain(news));
    return { ...result, inputs: tagged(kind, result.inputs) };
  },
  async diff(id, olds, news) {
    const h = handler(kindOf(news, olds));
    // Without a diff the engine compares inputs itself; every kind should provide one.
    return h.diff ? await h.diff(id, plain(olds), plain(news)) : {};
  },
  async create(inputs) {
    const kind = kindOf(inputs);
    const result = await handler(kind).create(plain(inputs));
    return { id: result.id, outs: tagged(kind, result.outs ?? plain(inputs)) };
  },
  async read(id, props) {
    const kind = kindOf(props);
    const h = handler(kind);
    if (!h.read) return { id, props: props ?? {} };
    const result = await h.read(id, plain(props));
    return { ...result, props: tagged(kind, result.props), inputs: tagged(kind, result.inputs) };
  },
  async update(id, olds, news) {
    const kind = kindOf(news, olds);
    const h = handler(kind);
    if (!h.update) throw new Error(`altinn-onboarding: resource kind "${kind}" cannot be updated in place`);
    const result = await h.update(id, plain(olds), plain(news));
    return { outs: tagged(kind, result.outs ?? plain(news)) };
  },
  async delete(id, props) {
    const h = handler(kindOf(props));
    if (h.delete) await h.delete(id, plain(props));
  },
};

export const { configure, check, diff, create, read, update } = runtime;
const remove = runtime.delete;
export { remove as delete };

/**
 * What `require("@altinn-onboarding/providers/runtime")` returns inside Pulumi's dynamic-provider process: the
 * provider shell's methods, one for one, dispatching over every kind in ./kinds.ts. One instance per process, so
 * module state (config, token caches, HTTP pools) is shared by every dynamic resource of one deployment.
 */
import { createRuntime } from "./runtime/dispatch.js";
import { registry } from "./kinds.js";

export type * from "./runtime/contract.js";

export const runtime = createRuntime(registry);

export const { configure, check, diff, create, read, update } = runtime;
const remove = runtime.delete;
export { remove as delete };

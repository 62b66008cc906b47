/**
 * `resourceregistry:AccessListMode`: whether a resource's access is limited to members of its access lists.
 * A kind of its own so the switch can be ordered after the lists, members and connections it depends on:
 * Pulumi gives each resource one step per run, and switching a live resource to `Enabled` before its lists are
 * connected would shut everyone out; switching it to `Disabled` too early would open it to anyone the policy
 * permits. The resource itself is created with its first mode (AltinnResource's `accessListMode`).
 */
import { ConfigurationError } from "../../runtime/errors.js";
import { defineKind, type KindContext } from "../../runtime/kind.js";
import { RegistryApi } from "../api.js";
import type { LiveResource } from "../schemas.js";
import { accessListModeRules, type AccessListModeInputs } from "./inputs.js";
import { MODE_REPLACE_FIELDS, canonicalMode, modeOf } from "./plan.js";

export const ACCESS_LIST_MODE_KIND = "resourceregistry:AccessListMode";

async function setMode(i: AccessListModeInputs, ctx: KindContext): Promise<LiveResource> {
  const registry = await RegistryApi.forOrg(ctx.organization, ctx.subject);
  const live = await registry.getResource(i.resource);
  if (!live) {
    throw new ConfigurationError(
      `${ACCESS_LIST_MODE_KIND}: resource ${i.resource} does not exist in the Resource Registry`,
      "create the resource first (AltinnResource)",
    );
  }
  if (modeOf(live) === i.mode) return live;
  const { versionId: _v, ...body } = live;
  await registry.putResource(i.resource, { ...body, accessListMode: i.mode });
  return { ...live, accessListMode: i.mode };
}

export const altinnResourceAccessListMode = defineKind({
  name: ACCESS_LIST_MODE_KIND,
  inputs: accessListModeRules,
  canonical: (p) => canonicalMode(p),
  replaceFields: MODE_REPLACE_FIELDS,
  label: (p, id) => `access-list mode of resource "${String(id ?? p.resource ?? "?")}"`,
  outputs: (live: LiveResource) => ({ fields: { mode: modeOf(live) }, computed: {} }),
  async create(i, ctx) {
    return { id: i.resource, observed: await setMode(i, ctx) };
  },
  async read(id, _previous, ctx) {
    return (await RegistryApi.forOrg(ctx.organization, ctx.subject)).getResource(id);
  },
  update: (_id, i, _olds, ctx) => setMode(i, ctx),
  // Removing the switch from the program leaves the resource's mode as it is.
  async delete() {},
});

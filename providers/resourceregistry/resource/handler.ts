/**
 * `resourceregistry:Resource`: a service resource in Altinn's Resource Registry.
 *
 * - Identity: the identifier (the natural key). It can never change, and a deleted identifier can never be used
 *   again upstream, so a new identifier is a new resource (replacement).
 * - Compare before writing: every PUT makes a new version upstream, so a PUT is sent only when a managed field
 *   differs, and it carries the live fields the program does not declare.
 * - Create: an identifier that exists is taken over only with `adopt: true`. A POST that got no answer is
 *   resolved by `find` (defineKind): the identifier is the natural key, and a resource found under it whose
 *   managed fields are exactly the declared ones is the POST's own; nothing found means nothing was committed,
 *   and the POST is sent again within the retry budget. A resource found with other fields is not taken: the
 *   retried create then refuses it without `adopt`.
 * - Delete: refused upstream in production. There the resource is kept, dropped from state, and a warning says so.
 * - `accessListMode` is the mode the resource is created with; switching it later is
 *   AltinnResourceAccessListMode's job, ordered after the access lists it depends on.
 */
import { ApiError, ConfigurationError } from "../../runtime/errors.js";
import { defineKind } from "../../runtime/kind.js";
import { RegistryApi } from "../api.js";
import type { LiveResource } from "../schemas.js";
import { resourceRules, type ResourceInputs } from "./inputs.js";
import { RESOURCE_REPLACE_FIELDS, canonicalResource, createBody, fieldsOfLive, planResource, putBody, resourceUrn } from "./plan.js";

export const RESOURCE_KIND = "resourceregistry:Resource";

/** The acting organisation: the resource's `organization`, else its owner. */
function actingOrg(i: { organization?: unknown; hasCompetentAuthority?: unknown }): string | undefined {
  if (typeof i.organization === "string") return i.organization;
  const owner = (i.hasCompetentAuthority as { organization?: unknown } | undefined)?.organization;
  return typeof owner === "string" ? owner : undefined;
}

async function api(
  i: { organization?: unknown; hasCompetentAuthority?: unknown },
  subject: { kind?: string; resource?: string },
): Promise<RegistryApi> {
  return RegistryApi.forOrg(actingOrg(i), subject);
}

async function writeIfChanged(registry: RegistryApi, live: LiveResource, i: ResourceInputs): Promise<LiveResource> {
  if (planResource(i, fieldsOfLive(live, i)).changes.length === 0) return live;
  const body = putBody(live, i);
  await registry.putResource(i.identifier, body);
  return body as LiveResource;
}

/** Writes a warning the Pulumi CLI shows with the resource's output. */
function warn(message: string): void {
  console.log(`warning: ${message}`);
}

export const altinnResource = defineKind({
  name: RESOURCE_KIND,
  inputs: resourceRules,
  canonical: canonicalResource,
  replaceFields: RESOURCE_REPLACE_FIELDS,
  setFields: ["contactPoints", "resourceReferences", "availableForType", "keywords"],
  label: (p, id) => `resource "${String(id ?? p.identifier ?? "?")}"`,
  outputs: (live: LiveResource, declared) => ({ fields: fieldsOfLive(live, declared), computed: { urn: resourceUrn(live.identifier) } }),
  async create(i, ctx) {
    const registry = await api(i, ctx.subject);
    const existing = await registry.getResource(i.identifier);
    if (existing) {
      if (!i.adopt) {
        throw new ConfigurationError(
          `${RESOURCE_KIND}: resource ${i.identifier} already exists in the Resource Registry`,
          "set adopt: true to manage the existing resource with this program (its fields are then set to the arguments), or choose another identifier",
        );
      }
      return { id: i.identifier, observed: await writeIfChanged(registry, existing, i) };
    }
    try {
      await registry.createResource(createBody(i));
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        throw e.with({
          hint: `identifier ${i.identifier} was used before: the registry never frees an identifier, even after a delete. Choose another identifier (or, if the resource exists, set adopt: true)`,
        });
      }
      throw e;
    }
    const created = await registry.getResource(i.identifier);
    if (!created) throw new Error(`${RESOURCE_KIND}: resource ${i.identifier} was created but cannot be read back`);
    return { id: i.identifier, observed: created };
  },
  async find(i, ctx) {
    const live = await (await api(i, ctx.subject)).getResource(i.identifier);
    if (!live || planResource(i, fieldsOfLive(live, i)).changes.length > 0) return undefined;
    return { id: i.identifier, observed: live };
  },
  async read(id, previous, ctx) {
    return (await api(previous, ctx.subject)).getResource(id);
  },
  async update(id, i, _olds, ctx) {
    const registry = await api(i, ctx.subject);
    const live = await registry.getResource(id);
    if (!live) {
      throw new ConfigurationError(
        `${RESOURCE_KIND}: resource ${id} no longer exists in the Resource Registry`,
        "run `pulumi refresh` so the program creates it again on the next `pulumi up` (with a new identifier if the old one was deleted)",
      );
    }
    return writeIfChanged(registry, live, i);
  },
  async delete(id, previous, ctx) {
    const registry = await api(previous, ctx.subject);
    const kept = (): void =>
      warn(
        `resource ${id} is kept in the Resource Registry: production does not allow deleting resources. It is no longer managed by this stack. ` +
          "To retire it, mark it withdrawn before removing it from the program (status: Withdrawn, visible: false), or ask Altinn's service desk.",
      );
    if (registry.environment === "prod") return kept();
    if ((await registry.deleteResource(id)) === "refused-in-prod") kept();
  },
});

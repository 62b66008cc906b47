/**
 * `authentication:SystemRegistration`: an end-user system in Altinn's System Register.
 *
 * - A deleted id can never be registered again, and a deleted system keeps its client ids until it is deleted:
 *   the id and the vendor force a replacement, which deletes the old system before creating the new one.
 *   Components protect it by default.
 * - Update is a full replacement upstream, sent only when something differs.
 * - Delete is a soft delete upstream: the id stays reserved and the client ids are released.
 */
import { ConfigurationError } from "../../runtime/errors.js";
import { defineKind, type KindContext } from "../../runtime/kind.js";
import { SystemRegisterApi, type LiveSystem } from "../api.js";
import { systemRegistrationRules, type SystemRegistrationInputs } from "./inputs.js";
import { SYSTEM_REPLACE_FIELDS, canonicalSystem, fieldsOfSystem, planSystem, systemBody } from "./plan.js";

export const SYSTEM_KIND = "authentication:SystemRegistration";

async function apiFor(p: { vendor?: unknown }, ctx: KindContext): Promise<SystemRegisterApi> {
  return SystemRegisterApi.forOrg(ctx.organization ?? (typeof p.vendor === "string" ? p.vendor : undefined), ctx.subject);
}

async function readBack(api: SystemRegisterApi, id: string): Promise<LiveSystem> {
  const live = await api.get(id);
  if (!live) throw new Error(`${SYSTEM_KIND}: system ${id} was written but cannot be read back`);
  return live;
}

async function create(i: SystemRegistrationInputs, ctx: KindContext): Promise<{ id: string; observed: LiveSystem }> {
  const api = await apiFor(i, ctx);
  const existing = await api.get(i.systemId);
  if (existing?.isDeleted) {
    throw new ConfigurationError(
      `${SYSTEM_KIND}: system id ${i.systemId} was registered and deleted before, and the System Register never frees an id (AUTH.VLD-00002)`,
      `choose another system id (for example ${i.systemId}_2)`,
    );
  }
  if (existing) {
    if (!i.adopt) {
      throw new ConfigurationError(
        `${SYSTEM_KIND}: system ${i.systemId} is already registered`,
        "set adopt: true to manage it with this program (its fields are then set to the arguments), or choose another system id",
      );
    }
    if (planSystem(i, fieldsOfSystem(existing)).changes.length > 0) await api.put(i.systemId, systemBody(i));
    return { id: i.systemId, observed: await readBack(api, i.systemId) };
  }
  await api.create(systemBody(i));
  return { id: i.systemId, observed: await readBack(api, i.systemId) };
}

export const systemRegistration = defineKind({
  name: SYSTEM_KIND,
  inputs: systemRegistrationRules,
  canonical: (p, side) => canonicalSystem(p, side),
  replaceFields: SYSTEM_REPLACE_FIELDS,
  deleteBeforeReplace: true,
  setFields: ["rights", "accessPackages", "clientIds", "allowedRedirectUrls"],
  label: (p, id) => `system "${String(id ?? p.systemId ?? "?")}"`,
  outputs: (l: LiveSystem) => ({ fields: fieldsOfSystem(l), computed: {} }),
  create,
  async find(i, ctx) {
    const api = await apiFor(i, ctx);
    const live = await api.get(i.systemId);
    return live && !live.isDeleted ? { id: i.systemId, observed: live } : undefined;
  },
  async read(id, previous, ctx) {
    const live = await (await apiFor(previous, ctx)).get(id);
    return live && !live.isDeleted ? live : undefined;
  },
  async update(id, i, _olds, ctx) {
    const api = await apiFor(i, ctx);
    const live = await api.get(id);
    if (!live || live.isDeleted) {
      throw new ConfigurationError(
        `${SYSTEM_KIND}: system ${id} is deleted`,
        "a deleted system id can never be used again: give the system a new id",
      );
    }
    if (planSystem(i, fieldsOfSystem(live)).changes.length === 0) return live;
    await api.put(id, systemBody(i));
    return readBack(api, id);
  },
  async delete(id, previous, ctx) {
    await (await apiFor(previous, ctx)).delete(id);
  },
});

/**
 * `authentication:SystemUserRequest`: a vendor's request to one customer organisation for a system user of its
 * system. Sending it is idempotent upstream for the same (system, customer, external reference). Its outputs are
 * the status (`New`, `Accepted`, `Rejected`, ...) and the `confirmUrl` the customer must open. A rejected or
 * withdrawn request shows as drift; since a rejected request cannot be sent again with the same reference, `up`
 * then says to choose a new `externalRef` instead of failing obscurely.
 */
import { ApiError, ConfigurationError } from "../../runtime/errors.js";
import { defineKind, type KindContext } from "../../runtime/kind.js";
import { SystemUserRequestApi, rightBody, rightOf, type LiveRequest } from "../api.js";
import { systemUserRequestRules, type SystemUserRequestInputs } from "./inputs.js";
import { REQUEST_REPLACE_FIELDS, canonicalRequest } from "./plan.js";

export const REQUEST_KIND = "authentication:SystemUserRequest";

async function apiFor(p: { vendor?: unknown }, ctx: KindContext): Promise<SystemUserRequestApi> {
  return SystemUserRequestApi.forOrg(ctx.organization ?? (typeof p.vendor === "string" ? p.vendor : undefined), ctx.subject);
}

function refOf(i: SystemUserRequestInputs): string {
  return i.externalRef ?? i.partyOrgNo;
}

function body(i: SystemUserRequestInputs): Record<string, unknown> {
  return {
    externalRef: refOf(i),
    systemId: i.systemId,
    partyOrgNo: i.partyOrgNo,
    rights: i.rights.map(rightBody),
    accessPackages: i.accessPackages.map((urn) => ({ urn })),
    ...(i.redirectUrl !== undefined ? { redirectUrl: i.redirectUrl } : {}),
    ...(i.integrationTitle !== undefined ? { integrationTitle: i.integrationTitle } : {}),
  };
}

function refused(i: SystemUserRequestInputs, status: string): ConfigurationError {
  return new ConfigurationError(
    `${REQUEST_KIND}: organisation ${i.partyOrgNo} answered the request for a system user of ${i.systemId} (external reference "${refOf(i)}") with ${status}`,
    `a ${status.toLowerCase()} request cannot be sent again with the same reference: agree with the customer, then set a new externalRef (for example "${refOf(i)}-2") and run \`pulumi up\``,
  );
}

async function send(i: SystemUserRequestInputs, ctx: KindContext): Promise<{ id: string; observed: LiveRequest }> {
  const api = await apiFor(i, ctx);
  try {
    const live = await api.create(body(i));
    return { id: live.id, observed: live };
  } catch (e) {
    // An existing system user (AUTH-00004) or an answered request with this reference: read what is there.
    if (e instanceof ApiError && /^AUTH-0000[46789]$/.test(e.code ?? "")) {
      const existing = await api.byExternalRef(i.systemId, i.partyOrgNo, refOf(i));
      if (existing && /^(rejected|denied)$/i.test(existing.status)) throw refused(i, existing.status);
      if (existing) return { id: existing.id, observed: existing };
    }
    throw e;
  }
}

export const systemUserRequest = defineKind({
  name: REQUEST_KIND,
  inputs: systemUserRequestRules,
  canonical: (p, side) => canonicalRequest(p, side),
  replaceFields: REQUEST_REPLACE_FIELDS,
  setFields: ["rights", "accessPackages"],
  label: (p, id) => `system-user request${id ? ` ${id}` : ""} of ${String(p.systemId ?? "?")} to ${String(p.partyOrgNo ?? "?")}`,
  outputs: (l: LiveRequest) => ({
    fields: {
      systemId: l.systemId,
      partyOrgNo: l.partyOrgNo,
      ...(l.externalRef ? { externalRef: l.externalRef } : {}),
      rights: (l.rights ?? []).map(rightOf),
      accessPackages: (l.accessPackages ?? []).map((p) => p.urn),
      ...(l.redirectUrl ? { redirectUrl: l.redirectUrl } : {}),
    },
    computed: { requestId: l.id, status: l.status, confirmUrl: l.confirmUrl ?? "" },
  }),
  create: send,
  async find(i, ctx) {
    const found = await (await apiFor(i, ctx)).byExternalRef(i.systemId, i.partyOrgNo, refOf(i));
    return found && { id: found.id, observed: found };
  },
  async read(id, previous, ctx) {
    return (await apiFor(previous, ctx)).get(id);
  },
  // Only the status can differ without a replacement: a request the customer answered no cannot be re-sent.
  async update(id, i, _olds, ctx) {
    const live = await (await apiFor(i, ctx)).get(id);
    if (live && !/^(new|accepted)$/i.test(live.status)) throw refused(i, live.status);
    return live ?? (await send(i, ctx)).observed;
  },
  async delete(id, previous, ctx) {
    await (await apiFor(previous, ctx)).delete(id);
  },
});

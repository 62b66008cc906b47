/**
 * `onboarding:Precondition`: steps Altinn or Digdir do by hand (granting `altinn:*` scopes, registering a service
 * owner), checked before anything that depends on them is created. Resources that need them depend on this one,
 * so `up` stops here, naming the organisation, what is missing and whom to ask. Its read checks again, so drift
 * detection reports a precondition that stopped holding. `check` and `diff` do no I/O: a no-op preview makes no
 * call.
 */
import { z } from "zod";

import { ConfigurationError } from "../../runtime/errors.js";
import { ApiClient } from "../../runtime/http.js";
import { currentEnvironment } from "../../runtime/environments.js";
import { defineKind, type KindContext } from "../../runtime/kind.js";
import { altinnHeaders } from "../../runtime/tokens.js";
import { SelfServiceApi, scopeName } from "../../digdir/api.js";
import { preconditionRules, type PreconditionInputs } from "./inputs.js";
import { advice, canonicalPrecondition, holds, type Findings } from "./plan.js";

export const PRECONDITION_KIND = "onboarding:Precondition";

const altinnOrgs = z.looseObject({ orgs: z.record(z.string(), z.looseObject({ orgnr: z.string().nullish() })) });

async function check(i: PreconditionInputs, ctx: KindContext): Promise<Findings> {
  let missingScopes: string[] = [];
  if (i.scopes.length > 0) {
    const api = await SelfServiceApi.forOrg(i.organization, ctx.subject);
    const [granted, open, own] = await Promise.all([api.grantedToMe(), api.publicScopes(), api.listScopes().catch(() => [])]);
    const held = new Set([
      ...granted.filter((g) => g.state === "APPROVED").map((g) => g.scope),
      ...open.filter((s) => s.accessible_for_all).map(scopeName),
      ...own.filter((s) => s.active !== false).map(scopeName),
    ]);
    missingScopes = i.scopes.filter((s) => !held.has(s));
  }
  let serviceOwner: boolean | undefined;
  if (i.serviceOwnerCode !== undefined) {
    // Altinn's list of service owners (altinn-orgs.json), served anonymously by the Resource Registry.
    const env = currentEnvironment();
    const orgs = await new ApiClient("Altinn Resource Registry", env.altinnUrl).json(
      { method: "GET", path: "/resourceregistry/api/v1/resource/orgs", headers: altinnHeaders(), subject: ctx.subject },
      altinnOrgs,
    );
    const entry = orgs.orgs[i.serviceOwnerCode];
    serviceOwner =
      entry !== undefined &&
      (entry.orgnr === i.organization || (i.serviceOwnerCode === "ttd" && !entry.orgnr) || entry.orgnr === undefined);
  }
  return { missingScopes, serviceOwner };
}

async function verified(i: PreconditionInputs, ctx: KindContext): Promise<Findings> {
  const f = await check(i, ctx);
  if (!holds(f)) {
    throw new ConfigurationError(
      `${PRECONDITION_KIND}: ${i.purpose} needs steps Altinn or Digdir do by hand, not done yet for organisation ${i.organization}:\n  - ${advice(i.organization, f, i.serviceOwnerCode).join("\n  - ")}`,
      "have them done, then run `pulumi up` again (nothing that depends on them was created)",
    );
  }
  return f;
}

export const precondition = defineKind({
  name: PRECONDITION_KIND,
  inputs: preconditionRules,
  canonical: (p, side) => canonicalPrecondition(p, side),
  replaceFields: [],
  label: (p) => `preconditions of ${String(p.purpose ?? "an onboarding")} (organisation ${String(p.organization ?? "?")})`,
  outputs: (f: Findings) => ({
    fields: {},
    computed: { holds: holds(f), missingScopes: [...f.missingScopes], serviceOwnerRegistered: f.serviceOwner ?? null },
  }),
  async create(i, ctx) {
    return { id: `${i.organization}:${i.purpose}`, observed: await verified(i, ctx) };
  },
  async read(_id, previous, ctx) {
    const parsed = preconditionRules.schema.safeParse(previous);
    if (!parsed.success) return undefined;
    return check(parsed.data, ctx);
  },
  update: (_id, i, _olds, ctx) => verified(i, ctx),
  async delete() {},
});

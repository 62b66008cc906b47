// The control plane under /__emulator/: not part of any real API. Never subject to faults or latency.
import { z } from "zod";
import { DEFAULT_OPTIONS, type EmulatorContext, issuerOf } from "../core/context.js";
import { faultRuleSchema } from "../core/faults.js";
import { type Reply, type Request, type Route, json, parseJson } from "../core/router.js";
import { callerFromToken } from "../altinn/auth.js";
import { decide, subjectOf } from "../authorization/pdp.js";
import { sinkRoutes } from "./sink.js";

export const CONTROL_BASE = "/__emulator";

function parse<S extends z.ZodType>(req: Request, schema: S): { ok: true; value: z.infer<S> } | { ok: false; reply: Reply } {
  const result = schema.safeParse(parseJson(req));
  if (result.success) return { ok: true, value: result.data as z.infer<S> };
  return {
    ok: false,
    reply: json(400, { error: "invalid_request", issues: result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`) }),
  };
}

export function controlRoutes(ctx: EmulatorContext): Route[] {
  const b = CONTROL_BASE;
  return [
    ...sinkRoutes(ctx),
    {
      // The PDP's decision for a token, as the emulated services ask it (emulator/README.md "Policy decisions").
      method: "POST",
      template: `${b}/authorize`,
      handler: async (req) => {
        const p = parse(
          req,
          z.strictObject({
            token: z.string().min(1),
            resource: z.string().min(1),
            action: z.string().min(1),
            party: z
              .string()
              .regex(/^\d{9}$/)
              .optional(),
          }),
        );
        if (!p.ok) return p.reply;
        const caller = await callerFromToken(ctx, p.value.token, true);
        if (!caller)
          return json(400, { error: "invalid_token", issues: ["token: not a valid Altinn or Maskinporten token of this emulator"] });
        const subject = subjectOf(ctx, caller);
        const resourceId = p.value.resource.replace(/^urn:altinn:resource:/, "");
        const d = decide(ctx, { subject, resourceId, action: p.value.action, resourcePartyOrgNumber: p.value.party });
        return json(200, {
          decision: d.permit ? "Permit" : "Deny",
          ...(d.permit ? {} : { reason: d.reason }),
          subject: subject.attributes,
        });
      },
    },
    { method: "GET", template: `${b}/health`, handler: () => json(200, { status: "ok", issuer: issuerOf(ctx) }) },
    {
      method: "GET",
      template: `${b}/credentials`,
      handler: () => {
        const state = ctx.store.state;
        ctx.pki.ensureOrgCertificates(state.organizations);
        const organizations = state.organizations.map((o) => {
          const clientId = state.adminClients[o.orgNumber] as string;
          const creds = ctx.pki.orgCredentials(o.orgNumber);
          return {
            orgNumber: o.orgNumber,
            orgCode: o.orgCode,
            name: o.name,
            serviceOwner: o.serviceOwner,
            scopePrefixes: [...o.scopePrefixes],
            adminClient: {
              clientId,
              scopes: [...(state.clients[clientId]?.client.scopes ?? [])],
              certificatePem: creds?.certificatePem ?? "",
              certificateKeyPem: creds?.certificateKeyPem ?? "",
            },
          };
        });
        return json(200, { organizations });
      },
    },
    {
      method: "POST",
      template: `${b}/reset`,
      handler: () => {
        ctx.background.cancelAll();
        ctx.store.reset();
        ctx.pki.ensureOrgCertificates(ctx.store.state.organizations);
        ctx.jti.clear();
        ctx.faults.clear();
        ctx.latencyMs = 0;
        ctx.options = { ...DEFAULT_OPTIONS };
        return json(200, { status: "reset" });
      },
    },
    {
      method: "GET",
      template: `${b}/state`,
      handler: () =>
        json(200, { ...ctx.store.state, emulator: { options: ctx.options, latencyMs: ctx.latencyMs, faults: ctx.faults.list() } }),
    },
    { method: "GET", template: `${b}/metrics`, handler: () => json(200, ctx.metrics.snapshot()) },
    { method: "GET", template: `${b}/faults`, handler: () => json(200, ctx.faults.list()) },
    {
      method: "POST",
      template: `${b}/faults`,
      handler: (req) => {
        const p = parse(req, faultRuleSchema);
        if (!p.ok) return p.reply;
        return json(201, { id: ctx.faults.add(p.value) });
      },
    },
    {
      method: "DELETE",
      template: `${b}/faults`,
      handler: () => {
        ctx.faults.clear();
        return { status: 204 };
      },
    },
    {
      method: "POST",
      template: `${b}/latency`,
      handler: (req) => {
        const p = parse(req, z.strictObject({ ms: z.number().int().nonnegative().max(600_000) }));
        if (!p.ok) return p.reply;
        ctx.latencyMs = p.value.ms;
        return json(200, { ms: ctx.latencyMs });
      },
    },
    {
      method: "POST",
      template: `${b}/options`,
      handler: (req) => {
        const p = parse(
          req,
          z.strictObject({
            emptyJwks404: z.boolean().optional(),
            emptyListErrors: z.boolean().optional(),
            // Overrides of the seed's Altinn settings until the next reset.
            altinn: z
              .strictObject({
                environment: z.enum(["local", "tt02", "prod"]).optional(),
                subscriptionKeys: z.array(z.string().min(1)).optional(),
                eventsRetryFactor: z.number().positive().max(1).optional(),
                brokerDeployMs: z.number().int().nonnegative().optional(),
                correspondencePublishMs: z.number().int().nonnegative().optional(),
              })
              .optional(),
          }),
        );
        if (!p.ok) return p.reply;
        const { altinn, ...rest } = p.value;
        ctx.options = { ...ctx.options, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
        if (altinn)
          ctx.options.altinn = { ...ctx.options.altinn, ...Object.fromEntries(Object.entries(altinn).filter(([, v]) => v !== undefined)) };
        return json(200, ctx.options);
      },
    },
  ];
}

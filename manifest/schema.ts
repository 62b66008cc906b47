/**
 * The onboarding manifest: one declarative, reviewable document per environment. It lives in the stack config
 * (`altinn-onboarding:manifest`) or in a YAML file that `altinn-onboarding:manifestFile` names. What differs
 * between environments (org numbers, endpoints) is config, not a copy of the manifest: any string may be
 * `${config:<key>}`, replaced by that stack config value before validation.
 *
 * One section per onboarding story (`apiProvider`, `consumers`, `correspondence`, `broker`, `endUserSystems`).
 * Every field a resource kind takes is validated by that kind's own input rules (the providers export them), so
 * the manifest and the providers' `check` cannot disagree; the sections add only what is their own, and
 * {@link crossCheck} checks what spans entries (a subscription's resource is declared, a sender's client has the
 * scopes its story needs, ...). The first section, `maskinporten` (scopes and clients), is still read: it is the
 * same as `apiProvider.scopes` and `consumers`.
 */
import { z } from "zod";

import { orgNumberSchema } from "@altinn-onboarding/providers";

import { formatPath } from "./path";

import { apiProviderSchema, scopeSchema, type ScopeSpec } from "./apiProvider";
import { BROKER_SCOPES, brokerSchema, type BrokerSpec } from "./broker";
import { storyClientSchema, uniqueBy, type ClientSpec } from "./common";
import { consumerSchema, type ConsumerSpec } from "./consumers";
import { CORRESPONDENCE_SENDER_SCOPES, correspondenceSchema, type CorrespondenceSpec } from "./correspondence";
import { END_USER_SYSTEM_SCOPES, endUserSystemSchema, type EndUserSystemSpec } from "./endUserSystems";

const byName = <T extends { name: string }>(what: string) => uniqueBy((x: T) => x.name, what);

export const manifestSchema = z
  .object({
    /** Org number this stack acts for by default (its admin client's organisation). */
    organization: orgNumberSchema.optional(),
    /** As an API provider: scopes you expose, and the consumers granted each. */
    apiProvider: apiProviderSchema.default({ scopes: [] }),
    /** Maskinporten clients of consumers and recipients, with their Events subscriptions. */
    consumers: z.array(consumerSchema).superRefine(byName("consumer")).default([]),
    /** Correspondence services of a service owner. */
    correspondence: z.array(correspondenceSchema).superRefine(byName("correspondence service")).default([]),
    /** Broker services of a service owner. */
    broker: z.array(brokerSchema).superRefine(byName("Broker service")).default([]),
    /** End-user systems of a system vendor. */
    endUserSystems: z.array(endUserSystemSchema).superRefine(byName("end-user system")).default([]),
    /** The first form of `apiProvider.scopes` and `consumers` (still read). */
    maskinporten: z
      .object({
        scopes: z
          .array(scopeSchema)
          .superRefine(uniqueBy((s: { prefix: string; subscope: string }) => `${s.prefix}:${s.subscope}`, "scope"))
          .default([]),
        clients: z.array(storyClientSchema).superRefine(byName("client")).default([]),
      })
      .strict()
      .default({ scopes: [], clients: [] }),
  })
  .strict();

type Parsed = z.infer<typeof manifestSchema>;

/** A service whose policy may be a hand-written document the loader read (`policyFile`). */
type WithPolicy<T> = T & { readonly policyXacml?: string };

/** The manifest with its legacy section folded in: what the program builds from. */
export interface Manifest extends Omit<Parsed, "maskinporten" | "correspondence" | "broker"> {
  readonly correspondence: readonly WithPolicy<CorrespondenceSpec>[];
  readonly broker: readonly WithPolicy<BrokerSpec>[];
  /** How many entries came from the `maskinporten` section. */
  readonly legacy: { readonly scopes: number; readonly clients: number };
}

export type { ScopeSpec, ClientSpec, ConsumerSpec, CorrespondenceSpec, BrokerSpec, EndUserSystemSpec };

/** Folds `maskinporten.scopes` and `.clients` into `apiProvider.scopes` and `consumers`. */
export function normalise(m: Parsed): Manifest {
  const { maskinporten, ...rest } = m;
  return {
    ...rest,
    apiProvider: { scopes: [...maskinporten.scopes, ...m.apiProvider.scopes] },
    consumers: [...maskinporten.clients.map((c) => ({ ...c, subscriptions: [] })), ...m.consumers],
    legacy: { scopes: maskinporten.scopes.length, clients: maskinporten.clients.length },
  };
}

export interface Issue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** The canonical filter set of a subscription, as Events compares them. */
function filterKey(org: string, endpoint: string, resource: string, type: string | undefined, subject: string | undefined): string {
  let url = endpoint;
  try {
    url = new URL(endpoint).href;
  } catch {
    // reported by the endpoint's own rule
  }
  return [org, url, resource.replace(/^urn:altinn:resource:/i, "").toLowerCase(), type ?? "", (subject ?? "").toLowerCase()].join("|");
}

/** Rules across entries; `environment` is the stack's (`local`, `test`, `prod`). */
export function crossCheck(parsed: Parsed, environment: string): Issue[] {
  const issues: Issue[] = [];
  const top = parsed.organization;
  const need = (path: (string | number)[], org: string | undefined): void => {
    if (!org && !top)
      issues.push({
        path: [...path, "organization"],
        message: "no organization here and none at the top of the manifest: say which organisation acts",
      });
  };
  parsed.maskinporten.scopes.forEach((s, i) => need(["maskinporten", "scopes", i], s.organization));
  parsed.maskinporten.clients.forEach((c, i) => need(["maskinporten", "clients", i], c.organization));
  parsed.apiProvider.scopes.forEach((s, i) => need(["apiProvider", "scopes", i], s.organization));
  parsed.consumers.forEach((c, i) => need(["consumers", i], c.organization));
  parsed.correspondence.forEach((c, i) => need(["correspondence", i], c.organization));
  parsed.broker.forEach((b, i) => need(["broker", i], b.organization));
  parsed.endUserSystems.forEach((s, i) => {
    if (!s.vendor && !top)
      issues.push({ path: ["endUserSystems", i, "vendor"], message: "no vendor here and no organization at the top of the manifest" });
  });

  // Logical names become resource names: clients are unique across sections.
  const clients = new Map<string, string>();
  const clientAt = (name: string, path: (string | number)[]): void => {
    const first = clients.get(name);
    if (first) issues.push({ path, message: `client "${name}" is declared twice (also at ${first})` });
    else clients.set(name, formatPath(path));
  };
  // (duplicates inside one list are reported by the list's own rule)
  parsed.maskinporten.clients.forEach((c, i) => {
    if (!clients.has(c.name)) clientAt(c.name, ["maskinporten", "clients", i]);
  });
  const firstConsumer = new Set<string>();
  parsed.consumers.forEach((c, i) => {
    if (firstConsumer.has(c.name)) return;
    firstConsumer.add(c.name);
    clientAt(c.name, ["consumers", i]);
  });
  parsed.correspondence.forEach((c, i) => clientAt(c.client.name, ["correspondence", i, "client"]));
  parsed.broker.forEach((b, i) => clientAt(b.client.name, ["broker", i, "client"]));
  parsed.endUserSystems.forEach((s, i) => clientAt(s.client.name, ["endUserSystems", i, "client"]));
  const scopeNames = new Set<string>();
  [...parsed.maskinporten.scopes, ...parsed.apiProvider.scopes].forEach((s) => {
    const n = `${s.prefix}:${s.subscope}`;
    if (scopeNames.has(n))
      issues.push({
        path: ["apiProvider", "scopes"],
        message: `scope "${n}" is declared twice (in maskinporten.scopes and apiProvider.scopes)`,
      });
    scopeNames.add(n);
  });

  // Resources: unique identifiers; what subscriptions and systems name must be declared or external.
  const resources = new Map<string, string>();
  const resourceAt = (id: string, path: (string | number)[]): void => {
    if (resources.has(id)) issues.push({ path, message: `resource ${id} is declared twice (also at ${resources.get(id) ?? "?"})` });
    else resources.set(id, formatPath(path));
  };
  parsed.correspondence.forEach((c, i) => resourceAt(c.resource.identifier, ["correspondence", i, "resource", "identifier"]));
  parsed.broker.forEach((b, i) => resourceAt(b.resource.identifier, ["broker", i, "resource", "identifier"]));
  const declaredResource = (id: string): boolean => resources.has(id.replace(/^urn:altinn:resource:/i, "").toLowerCase());

  // Clients carry the scopes their story needs.
  const needsScopes = (path: (string | number)[], client: ClientSpec, scopes: readonly string[], who: string): void => {
    const missing = scopes.filter((s) => !client.scopes.includes(s));
    if (missing.length > 0)
      issues.push({ path: [...path, "client", "scopes"], message: `${who}'s client needs the scopes ${missing.join(", ")}` });
  };
  parsed.correspondence.forEach((c, i) =>
    needsScopes(["correspondence", i], c.client, CORRESPONDENCE_SENDER_SCOPES, "a Correspondence sender"),
  );
  parsed.broker.forEach((b, i) => needsScopes(["broker", i], b.client, BROKER_SCOPES, "a Broker service owner"));
  parsed.endUserSystems.forEach((s, i) => needsScopes(["endUserSystems", i], s.client, END_USER_SYSTEM_SCOPES, "an end-user system"));

  // Policies: the ready-made set, own rules or a file, one of them.
  [
    ...parsed.correspondence.map((c, i) => ["correspondence", i, c] as const),
    ...parsed.broker.map((b, i) => ["broker", i, b] as const),
  ].forEach(([section, i, s]) => {
    if (s.policyRules && s.policyFile)
      issues.push({ path: [section, i, "policyFile"], message: "give policyRules or policyFile, not both" });
  });

  // Subscriptions: https outside local, resources known, no identical pair.
  const local = environment === "local";
  const seen = new Map<string, string>();
  const subscription = (
    path: (string | number)[],
    org: string | undefined,
    endpoint: string,
    resource: string,
    types: readonly string[],
    subject: string | undefined,
  ): void => {
    if (!local && !endpoint.startsWith("https://"))
      issues.push({
        path: [...path, "endpoint"],
        message: `a webhook must be https outside the local stack (this stack's environment is ${environment})`,
      });
    for (const type of types.length > 0 ? types : [undefined]) {
      const key = filterKey(org ?? top ?? "", endpoint, resource, type, subject);
      const first = seen.get(key);
      if (first) {
        issues.push({
          path,
          message: `the same subscription (endpoint, resource, type and subject) is declared twice (also at ${first}); Events would answer both with one subscription`,
        });
      } else {
        seen.set(key, formatPath(path));
      }
    }
  };
  parsed.correspondence.forEach((c, i) =>
    c.subscriptions.forEach((s, j) =>
      subscription(["correspondence", i, "subscriptions", j], c.organization, s.endpoint, c.resource.identifier, s.types, s.subject),
    ),
  );
  parsed.broker.forEach((b, i) =>
    b.subscriptions.forEach((s, j) =>
      subscription(["broker", i, "subscriptions", j], b.organization, s.endpoint, b.resource.identifier, s.types, s.subject),
    ),
  );
  parsed.consumers.forEach((c, i) =>
    c.subscriptions.forEach((s, j) => {
      const path = ["consumers", i, "subscriptions", j];
      if (!s.external && !declaredResource(s.resource)) {
        issues.push({
          path: [...path, "resource"],
          message: `resource ${s.resource} is not declared in this manifest: declare it (correspondence or broker), or set external: true`,
        });
      }
      subscription(
        path,
        c.organization,
        s.endpoint,
        s.resource,
        s.types,
        s.subject ?? `urn:altinn:organization:identifier-no:${c.organization ?? top ?? ""}`,
      );
    }),
  );

  // End-user systems: rights name known resources; customers ask for a subset of the system's rights.
  parsed.endUserSystems.forEach((s, i) => {
    s.rights.forEach((r, j) => {
      if (!r.external && !declaredResource(r.resource)) {
        issues.push({
          path: ["endUserSystems", i, "rights", j, "resource"],
          message: `resource ${r.resource} is not declared in this manifest: declare it, or set external: true`,
        });
      }
    });
    s.customers.forEach((c, j) => {
      const extra = (c.rights ?? []).filter(
        (r) => !s.rights.some((g) => g.resource === r.resource && (g.action === undefined || g.action === r.action)),
      );
      if (extra.length > 0) {
        issues.push({
          path: ["endUserSystems", i, "customers", j, "rights"],
          message: `a request may only ask for the system's rights; not among them: ${extra.map((r) => r.resource + (r.action ? ` (${r.action})` : "")).join(", ")}`,
        });
      }
    });
    const vendor = s.vendor ?? top;
    if (s.systemId !== undefined && vendor && !s.systemId.startsWith(`${vendor}_`)) {
      issues.push({
        path: ["endUserSystems", i, "systemId"],
        message: `the system id starts with the vendor's org number and '_' (${vendor}_...)`,
      });
    }
  });
  return issues;
}

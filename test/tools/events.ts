/**
 * Engine events as the Pulumi CLI streams them (`--json` with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true), written
 * by hand for the tools' unit tests in the shapes captured from CLI 3.259.0 (docs/operations.md shows real ones).
 */
export const SECRET_ENVELOPE = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" };
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const PREFIX = "urn:pulumi:test::altinn-onboarding::altinn-onboarding:maskinporten:Onboarding$";

export function urn(type: string, name: string): string {
  return `${PREFIX}${type}::${name}`;
}

export interface Side {
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  custom?: boolean;
}

function state(type: string, name: string, s: Side | undefined): Record<string, unknown> | undefined {
  if (!s) return undefined;
  return {
    type,
    urn: urn(type, name),
    custom: s.custom ?? true,
    ...(s.id !== undefined ? { id: s.id } : {}),
    parent: `${PREFIX.slice(0, -1)}::maskinporten`,
    inputs: { __provider: "exports.handler = __f0;", resourceKind: type.split("/")[1], ...s.inputs },
    outputs: s.outputs ? { __provider: "exports.handler = __f0;", ...s.outputs } : {},
    provider: "urn:pulumi:test::altinn-onboarding::pulumi:providers:pulumi-nodejs::default::1c2b",
  };
}

/** One step as a pre-event and an outputs event (what the CLI prints for every resource). */
export function step(op: string, type: string, name: string, old?: Side, next?: Side, keys?: string[]): string {
  const metadata = {
    op,
    urn: urn(type, name),
    type,
    ...(old ? { old: state(type, name, old) } : { old: null }),
    ...(next ? { new: state(type, name, next) } : { new: null }),
    ...(keys ? { keys } : {}),
    detailedDiff: null,
    provider: "urn:pulumi:test::altinn-onboarding::pulumi:providers:pulumi-nodejs::default::1c2b",
  };
  return [
    JSON.stringify({ sequence: 1, timestamp: 1796079560, resourcePreEvent: { metadata } }),
    JSON.stringify({ sequence: 2, timestamp: 1796079560, resOutputsEvent: { metadata } }),
  ].join("\n");
}

export function policyEvent(type: string, name: string, policy: string, description: string, message: string): string {
  return JSON.stringify({
    sequence: 3,
    timestamp: 1796079561,
    policyEvent: {
      resourceUrn: urn(type, name),
      message: `${description}\n${message}\n`,
      color: "never",
      policyName: policy,
      policyPackName: "altinn-onboarding",
      policyPackVersion: "0.1.0",
      policyPackVersionTag: "0.1.0",
      enforcementLevel: "mandatory",
    },
  });
}

export function diagnostic(severity: string, message: string): string {
  return JSON.stringify({
    sequence: 4,
    timestamp: 1796079561,
    diagnosticEvent: { prefix: `${severity}: `, message: `${message}\n`, color: "never", severity },
  });
}

export function summary(result: string, resourceChanges: Record<string, number>): string {
  return JSON.stringify({
    sequence: 9,
    timestamp: 1796079562,
    summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges, isPreview: true, result },
  });
}

export const CLIENT = "pulumi-nodejs:dynamic/maskinporten:Client";
export const SCOPE = "pulumi-nodejs:dynamic/maskinporten:Scope";
export const GRANT = "pulumi-nodejs:dynamic/maskinporten:ScopeGrant";

/** A client's inputs as state records them after `check` (defaults filled). */
export function clientInputs(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    description: "",
    integrationType: "maskinporten",
    keyLifetimeDays: 365,
    keyRenewalDays: 30,
    keys: ["2026-11"],
    marker: "iac:altinn-onboarding/test/client-orders-reader",
    name: "Orders reader",
    organization: "313000028",
    scopes: ["ttd:orders.read"],
    ...over,
  };
}

/** A client's outputs with its registered keys expiring at the given times. */
export function clientOutputs(keys: Record<string, string>, over: Record<string, unknown> = {}): Record<string, unknown> {
  const names = Object.keys(keys).sort();
  return {
    ...clientInputs({ keys: names }),
    accessTokenLifetime: 0,
    clientId: "7b0fa413-5b97-4f73-9011-d1fc1e6284cb",
    clientOrgNumber: "313000028",
    externalKeyIds: [],
    keyIds: Object.fromEntries(names.map((n) => [n, `kid-${n}`])),
    privateJwks: SECRET_ENVELOPE,
    registeredKeys: names.map((n) => ({
      name: n,
      kid: `kid-${n}`,
      publicJwk: { kty: "RSA", e: "AQAB", n: "6zre", kid: `kid-${n}`, alg: "RS256", use: "sig" },
      expiresAt: keys[n],
      registered: true,
    })),
    ...over,
  };
}

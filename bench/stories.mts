// What the benchmarks build: "stories", each one organisation's onboarding as the manifest declares it. A story
// shape turns N into a manifest; the tables below say which kind each API route belongs to (calls per resource)
// and how many calls each kind's operations make one after another (the floor sleeps that long). A new kind adds a
// line to each table; a new story shape is one more entry in SHAPES.

export interface StoryShape {
  readonly name: string;
  /** One line on what one story is. */
  readonly story: string;
  /** The manifest for `n` stories (the stack config value `altinn-onboarding:manifest`). */
  manifest(n: number): unknown;
  /** Tokens a run of `n` stories should ask for: one per organisation and scope set. */
  tokenTarget(n: number): number;
}

const PROVIDER = "311000012"; // ttd: owns the prefix ttd
const CONSUMERS = ["313000028", "314000013"];

/**
 * A consumer onboarding: a Maskinporten client with one key, and its share of an API provider's scopes and grants
 * (one scope per 10 stories, each granted to both consumer organisations). Stories alternate between the two
 * consumer organisations. 10 stories: 1 scope, 2 grants, 10 clients.
 */
export const maskinportenConsumer: StoryShape = {
  name: "maskinporten-consumer",
  story: "a Maskinporten client with one key, plus its share of scopes (1 per 10 stories) and grants (2 per scope)",
  manifest(n) {
    const scopes = Math.max(1, Math.ceil(n / 10));
    return {
      organization: PROVIDER,
      maskinporten: {
        scopes: Array.from({ length: scopes }, (_, s) => ({
          prefix: "ttd",
          subscope: `bench.s${s}`,
          description: `Bench scope ${s}`,
          consumers: CONSUMERS,
        })),
        clients: Array.from({ length: n }, (_, i) => ({
          name: `story-${i}`,
          organization: CONSUMERS[i % CONSUMERS.length],
          scopes: [`ttd:bench.s${Math.floor(i / 10)}`],
          keys: ["k1"],
        })),
      },
    };
  },
  // The provider organisation and each consumer organisation, each with the one admin scope set.
  tokenTarget: (n) => 1 + Math.min(n, CONSUMERS.length),
};

export const SHAPES: readonly StoryShape[] = [maskinportenConsumer];

/** Which kind an API call belongs to, by `METHOD route`; the first match wins. */
export const ROUTE_KINDS: readonly (readonly [RegExp, string])[] = [
  [/ \/api\/v1\/clients/, "maskinporten:Client"],
  [/ \/api\/v1\/scopes\/access/, "maskinporten:ScopeGrant"],
  [/ \/api\/v1\/scopes/, "maskinporten:Scope"],
  [/ \/token$/, "(token endpoint)"],
];

export function kindOfCall(call: string): string {
  return ROUTE_KINDS.find(([re]) => re.test(call))?.[1] ?? "(other)";
}

export interface CriticalPath {
  readonly create: number;
  readonly read: number;
  readonly update: number;
  readonly delete: number;
}

/**
 * API calls each kind's operation makes one after another (calls sent at once count once): what the floor's
 * provider sleeps for, at the emulator's latency each. Once-per-run work (a token per organisation, a client
 * listing per organisation) is left out: the floor is a lower bound.
 */
export const CRITICAL_PATH: Readonly<Record<string, CriticalPath>> = {
  // create: POST the client, POST its keys (a new client has none to read); read: the client and its keys at once
  "maskinporten:Client": { create: 2, read: 1, update: 3, delete: 1 },
  // create: GET (does it exist, inactive?), POST
  "maskinporten:Scope": { create: 2, read: 1, update: 1, delete: 1 },
  // create: one idempotent PUT; read: the scope's access list
  "maskinporten:ScopeGrant": { create: 1, read: 1, update: 1, delete: 1 },
};

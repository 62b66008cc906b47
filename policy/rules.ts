/**
 * The onboarding rules, as pure functions over a resource's type token, inputs and options. `index.ts` turns them
 * into a Pulumi policy pack; tests call them directly. No Pulumi here, so a rule is easy to read and to test.
 *
 * Dynamic resources are recognised by their type token (`pulumi-nodejs:dynamic/<module>:<Type>`) and checked on
 * their inputs, exactly as the program registered them. Values still unknown during a preview are not judged.
 */

/** Type tokens the rules look at (providers/kinds.ts lists every kind). */
export const TOKENS = {
  client: "pulumi-nodejs:dynamic/maskinporten:Client",
  scope: "pulumi-nodejs:dynamic/maskinporten:Scope",
  registryResource: "pulumi-nodejs:dynamic/resourceregistry:Resource",
  systemRegistration: "pulumi-nodejs:dynamic/authentication:SystemRegistration",
  eventsSubscription: "pulumi-nodejs:dynamic/events:Subscription",
} as const;

/** Digdir's limit on a key's lifetime. */
export const MAX_KEY_LIFETIME_DAYS = 365;

/** What the rules know about the stack, from its configuration. */
export interface StackFacts {
  /** `altinn-onboarding:environment`: `local`, `test` or `prod`. */
  readonly environment: string;
  /** `altinn-onboarding:testOnlyScopes`: scopes that must never reach a prod client. */
  readonly testOnlyScopes: readonly string[];
}

/** One resource as a policy sees it. */
export interface CheckedResource {
  readonly type: string;
  /** The resource's logical name. */
  readonly name: string;
  /** Its inputs. */
  readonly props: Readonly<Record<string, unknown>>;
  /** Whether the `protect` resource option is set. */
  readonly protect: boolean;
}

export interface Rule {
  /** The policy name shown in the CLI's violation message. */
  readonly name: string;
  readonly description: string;
  /** Violation messages for one resource (empty: compliant). Each says what to change. */
  check(resource: CheckedResource, stack: StackFacts): string[];
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function hasText(v: unknown): boolean {
  return typeof v === "string" && v.trim() !== "";
}

export const RULES: readonly Rule[] = [
  {
    name: "prod-clients-no-test-only-scopes",
    description: "In prod, no Maskinporten client carries a scope that the stack config lists in altinn-onboarding:testOnlyScopes.",
    check(r, stack) {
      if (r.type !== TOKENS.client || stack.environment !== "prod") return [];
      const testOnly = new Set(stack.testOnlyScopes);
      const found = stringList(r.props.scopes).filter((s) => testOnly.has(s));
      return found.length === 0
        ? []
        : [
            `client "${r.name}" has test-only scope(s) ${found.map((s) => `"${s}"`).join(", ")} in prod ` +
              `(listed in altinn-onboarding:testOnlyScopes): remove them from the prod client's scopes`,
          ];
    },
  },
  {
    name: "key-lifetime-at-most-365-days",
    description: `A registered key lives at most ${MAX_KEY_LIFETIME_DAYS} days (keyLifetimeDays).`,
    check(r) {
      const days = r.props.keyLifetimeDays;
      if (typeof days !== "number" || days <= MAX_KEY_LIFETIME_DAYS) return [];
      return [`"${r.name}" registers keys for ${days} days: set keyLifetimeDays to ${MAX_KEY_LIFETIME_DAYS} or less`];
    },
  },
  {
    name: "webhooks-https-outside-local",
    description: "Outside the local environment, every Events subscription delivers to an https:// endpoint.",
    check(r, stack) {
      if (r.type !== TOKENS.eventsSubscription || stack.environment === "local") return [];
      const endpoint = r.props.endpoint;
      if (typeof endpoint !== "string" || /^https:\/\//i.test(endpoint)) return [];
      return [`Events subscription "${r.name}" delivers to ${endpoint} in ${stack.environment}: use an https:// endpoint`];
    },
  },
  {
    name: "altinn-resources-have-contact-point",
    description: "Every Altinn resource registry entry names at least one contact point (email, telephone or contact page).",
    check(r) {
      if (r.type !== TOKENS.registryResource) return [];
      const points = Array.isArray(r.props.contactPoints) ? (r.props.contactPoints as unknown[]) : [];
      const usable = points.some((p) => {
        if (!p || typeof p !== "object") return false;
        const c = p as Record<string, unknown>;
        return hasText(c.email) || hasText(c.telephone) || hasText(c.contactPage);
      });
      return usable ? [] : [`Altinn resource "${r.name}" has no contact point: add contactPoints with an email, telephone or contactPage`];
    },
  },
  {
    name: "prod-registry-entries-protected",
    description:
      "In prod, resource registry entries and System Register systems are protected (policy packs never see deletions; protect is what stops them).",
    check(r, stack) {
      if (stack.environment !== "prod" || r.protect) return [];
      if (r.type !== TOKENS.registryResource && r.type !== TOKENS.systemRegistration) return [];
      return [`"${r.name}" (${r.type}) is not protected in prod: set the resource option protect: true`];
    },
  },
  {
    name: "scopes-not-open-to-all-unless-declared",
    description: "No Maskinporten scope is open to all organisations unless the manifest says openToAll: true for it.",
    check(r) {
      if (r.type !== TOKENS.scope || r.props.accessibleForAll !== true || r.props.openToAll === true) return [];
      return [
        `scope "${r.name}" is accessible to all organisations but the manifest does not say openToAll: true for it: ` +
          `grant it to named consumers instead, or declare openToAll: true`,
      ];
    },
  },
];

/** Reads the stack facts from the stack's configuration (namespaced keys, values as the CLI passes them). */
export function stackFacts(config: Readonly<Record<string, string>>): StackFacts {
  const environment = config["altinn-onboarding:environment"] ?? "local";
  const raw = config["altinn-onboarding:testOnlyScopes"];
  let testOnlyScopes: string[] = [];
  if (raw !== undefined && raw.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = raw.split(/[\s,]+/);
    }
    testOnlyScopes = stringList(parsed).filter((s) => s !== "");
  }
  return { environment, testOnlyScopes };
}

/** Every violation of every rule for one resource, as `[rule name, message]`. */
export function violations(r: CheckedResource, stack: StackFacts): [string, string][] {
  return RULES.flatMap((rule) => rule.check(r, stack).map((m): [string, string] => [rule.name, m]));
}

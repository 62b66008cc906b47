/**
 * The one place that knows every resource kind: the name each resource carries in `resourceKind` (its type
 * token without the `pulumi-nodejs:dynamic/` prefix) -> its handler. Adding a kind is one line here.
 *
 * A kind that is renamed keeps working for existing stacks in two places: its resource class passes the old
 * type token in `aliases` (so the engine moves the resource instead of replacing it), and `aliases` below maps
 * the old `resourceKind` that older state still carries to the new name.
 */
import type { Kind } from "./runtime/kind.js";
import type { KindRegistry } from "./runtime/dispatch.js";
import { maskinportenClient } from "./digdir/client/handler.js";
import { maskinportenScope } from "./digdir/scope/handler.js";
import { maskinportenScopeGrant } from "./digdir/scopeGrant/handler.js";
import { altinnAccessList } from "./resourceregistry/accessList/handler.js";
import { altinnResourceAccessListMode } from "./resourceregistry/accessListMode/handler.js";
import { altinnResourcePolicy } from "./resourceregistry/policy/handler.js";
import { altinnResource } from "./resourceregistry/resource/handler.js";
import { eventSubscription } from "./events/subscription/handler.js";
import { brokerResourceSettings } from "./broker/resourceSettings/handler.js";
import { brokerServiceOwner } from "./broker/serviceOwner/handler.js";
import { systemRegistration } from "./authentication/systemRegistration/handler.js";
import { systemUserRequest } from "./authentication/systemUserRequest/handler.js";
import { precondition } from "./onboarding/precondition/handler.js";

const all: readonly Kind[] = [
  maskinportenClient,
  maskinportenScope,
  maskinportenScopeGrant,
  altinnResource,
  altinnResourcePolicy,
  altinnAccessList,
  altinnResourceAccessListMode,
  eventSubscription,
  brokerServiceOwner,
  brokerResourceSettings,
  systemRegistration,
  systemUserRequest,
  precondition,
];

export const kinds: Readonly<Record<string, Kind>> = Object.fromEntries(all.map((k) => [k.name, k]));

/** Former kind names -> current ones. */
export const aliases: Readonly<Record<string, string>> = {};

export const registry: KindRegistry = { kinds, aliases };

/** A kind's name from its type token (`pulumi-nodejs:dynamic/<module>:<Type>` -> `<module>:<Type>`). */
export function kindNameOf(typeToken: string): string | undefined {
  const m = /^pulumi-nodejs:dynamic\/(.+)$/.exec(typeToken);
  return m?.[1];
}

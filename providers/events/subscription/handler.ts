/**
 * `events:Subscription`: an Altinn Events webhook subscription.
 *
 * - Immutable upstream: a real change of a filter replaces it, the new one created before the old is deleted so
 *   no event is missed (an event published in the overlap may arrive twice).
 * - Create waits, within `validationTimeoutSeconds`, until Events has validated the endpoint (it POSTs a
 *   validation event there and wants a 2xx). If it does not, the subscription is kept in state with its id and
 *   create fails saying what to check; the next `up` sends the identical create again, which makes Events
 *   validate the same subscription once more.
 * - Delete deletes it; already gone is fine.
 */
import { ConfigurationError } from "../../runtime/errors.js";
import { IncompleteCreateError, defineKind, type KindContext } from "../../runtime/kind.js";
import { EventsApi, type LiveSubscription } from "../api.js";
import { subscriptionRules, type SubscriptionInputs } from "./inputs.js";
import { SUBSCRIPTION_REPLACE_FIELDS, canonicalSubscription, sameFilters, subscriptionRequest } from "./plan.js";

export const SUBSCRIPTION_KIND = "events:Subscription";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function apiFor(p: { organization?: unknown; serviceOwner?: unknown }, ctx: KindContext): Promise<EventsApi> {
  return EventsApi.forOrg(ctx.organization, p.serviceOwner === true, ctx.subject);
}

/** Polls until Events says the endpoint answered its validation event, or the time is up. */
async function awaitValidation(api: EventsApi, sub: LiveSubscription, timeoutSeconds: number): Promise<LiveSubscription> {
  const id = String(sub.id);
  const started = Date.now();
  let current = sub;
  let reported = 0;
  while (current.validated !== true) {
    const waited = (Date.now() - started) / 1000;
    if (waited >= timeoutSeconds) {
      throw new IncompleteCreateError(
        `events:Subscription ${id}: Events has not validated the endpoint ${sub.endPoint} after ${Math.round(waited)} s. ` +
          "Check that the endpoint is reachable from Altinn (a public https address with a publicly trusted certificate; Altinn's outbound addresses may need to be allowed) " +
          "and answers 2xx to the validation event (a POST of a CloudEvent of type platform.events.validatesubscription). " +
          `The subscription is kept in state (id ${id}); run \`pulumi up\` again to have Events validate it once more.`,
        id,
        current,
      );
    }
    if (waited - reported >= 10) {
      reported = waited;
      console.log(
        `events:Subscription ${id}: waiting for Events to validate ${sub.endPoint} (${Math.round(waited)} s of ${timeoutSeconds} s)`,
      );
    }
    await sleep(Math.min(1000, Math.max(100, (timeoutSeconds - waited) * 1000)));
    const live = await api.get(id);
    if (!live)
      throw new ConfigurationError(`events:Subscription ${id} disappeared while waiting for its validation`, "run `pulumi up` again");
    current = live;
  }
  return current;
}

async function subscribe(i: SubscriptionInputs, ctx: KindContext): Promise<{ id: string; observed: LiveSubscription }> {
  const api = await apiFor(i, ctx);
  const created = await api.create(subscriptionRequest(i));
  return { id: String(created.id), observed: await awaitValidation(api, created, i.validationTimeoutSeconds) };
}

export const eventSubscription = defineKind({
  name: SUBSCRIPTION_KIND,
  inputs: subscriptionRules,
  canonical: (p, side) => canonicalSubscription(p, side),
  replaceFields: SUBSCRIPTION_REPLACE_FIELDS,
  label: (p, id) =>
    `subscription${id ? ` ${id}` : ""} to ${String(p.resource ?? "?")}${p.type ? ` (${String(p.type)})` : ""} at ${String(p.endpoint ?? "?")}`,
  outputs: (live: LiveSubscription) => ({
    fields: {
      endpoint: live.endPoint,
      resource: live.resourceFilter ?? "",
      ...(live.subjectFilter ? { subject: live.subjectFilter } : {}),
      ...(live.typeFilter ? { type: live.typeFilter } : {}),
      includeSubunits: live.includeSubunits ?? false,
    },
    computed: {
      subscriptionId: String(live.id),
      validated: live.validated === true,
      resourceFilter: live.resourceFilter ?? "",
      consumer: live.consumer ?? "",
    },
  }),
  create: subscribe,
  // A lost answer: the caller's subscription with exactly these filters is the one the create made.
  async find(i, ctx) {
    const want = subscriptionRequest(i);
    const found = (await (await apiFor(i, ctx)).list()).find((s) => sameFilters(s, want));
    return found && { id: String(found.id), observed: found };
  },
  async read(id, previous, ctx) {
    return (await apiFor(previous, ctx)).get(id);
  },
  // Only `validated` can change without a replacement: the identical create makes Events validate again.
  async update(_id, i, _olds, ctx) {
    return (await subscribe(i, ctx)).observed;
  },
  async delete(id, previous, ctx) {
    await (await apiFor(previous, ctx)).delete(id);
  },
});

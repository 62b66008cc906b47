/**
 * `broker:ServiceOwner`: an organisation initialised as a Broker service owner, with its storage ready.
 *
 * - Create: initialise once (a 409 means it is done already: adopt it), then wait, with progress, until Broker has
 *   deployed its storage, within `readyTimeoutSeconds`; if not, the resource is kept in state and the next `up`
 *   waits again.
 * - Delete: Broker has no way to remove a service owner: it is dropped from state, and a warning says so.
 */
import { ConfigurationError } from "../../runtime/errors.js";
import { IncompleteCreateError, defineKind, type KindContext } from "../../runtime/kind.js";
import { BrokerApi, type LiveServiceOwner } from "../api.js";
import { serviceOwnerRules, type ServiceOwnerInputs } from "./inputs.js";
import { canonicalServiceOwner, storageReady } from "./plan.js";

export const SERVICE_OWNER_KIND = "broker:ServiceOwner";
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function awaitStorage(api: BrokerApi, first: LiveServiceOwner, i: ServiceOwnerInputs): Promise<LiveServiceOwner> {
  const started = Date.now();
  let current = first;
  let reported = -1;
  while (!storageReady(current)) {
    const waited = (Date.now() - started) / 1000;
    const status = current.storageProviders.map((p) => `${p.type}: ${p.deploymentStatus}`).join(", ") || "no storage yet";
    if (waited >= i.readyTimeoutSeconds) {
      throw new IncompleteCreateError(
        `${SERVICE_OWNER_KIND} ${api.orgNumber}: Broker's storage is not ready after ${Math.round(waited)} s (${status}). ` +
          "Broker deploys it in the background; run `pulumi up` again later to continue waiting, or ask Altinn's service desk if it stays unready.",
        api.orgNumber,
        current,
      );
    }
    if (waited - reported >= 10) {
      reported = waited;
      console.log(
        `${SERVICE_OWNER_KIND} ${api.orgNumber}: waiting for Broker's storage (${status}; ${Math.round(waited)} s of ${i.readyTimeoutSeconds} s)`,
      );
    }
    await sleep(1000);
    const live = await api.getServiceOwner();
    if (!live)
      throw new ConfigurationError(
        `${SERVICE_OWNER_KIND} ${api.orgNumber}: Broker no longer knows the service owner`,
        "run `pulumi up` again",
      );
    current = live;
  }
  return current;
}

async function ensure(i: ServiceOwnerInputs, ctx: KindContext): Promise<{ id: string; observed: LiveServiceOwner }> {
  const api = await BrokerApi.forOrg(i.organization, ctx.subject);
  let live = await api.getServiceOwner();
  if (!live) {
    await api.initServiceOwner(i.name);
    live = await api.getServiceOwner();
    if (!live) throw new Error(`${SERVICE_OWNER_KIND} ${api.orgNumber}: initialised, but Broker does not answer with it`);
  }
  return { id: api.orgNumber, observed: await awaitStorage(api, live, i) };
}

export const brokerServiceOwner = defineKind({
  name: SERVICE_OWNER_KIND,
  inputs: serviceOwnerRules,
  canonical: (p, side) => canonicalServiceOwner(p, side),
  replaceFields: ["organization"],
  label: (p, id) => `Broker service owner ${String(id ?? p.organization ?? "?")}`,
  outputs: (o: LiveServiceOwner) => ({
    fields: {},
    computed: {
      brokerName: o.name,
      storageReady: storageReady(o),
      storage: o.storageProviders.map((p) => `${p.type}: ${p.deploymentStatus}`),
    },
  }),
  create: ensure,
  async read(_id, _previous, ctx) {
    return (await BrokerApi.forOrg(ctx.organization, ctx.subject)).getServiceOwner();
  },
  async update(_id, i, _olds, ctx) {
    return (await ensure(i, ctx)).observed;
  },
  async delete(id) {
    console.log(
      `warning: Broker service owner ${id} stays in Broker: Broker has no way to remove a service owner. It is no longer managed by this stack.`,
    );
  },
});

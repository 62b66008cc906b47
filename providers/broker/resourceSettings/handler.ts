/**
 * `broker:ResourceSettings`: Broker's settings for one resource (a partial upsert of the settings the program
 * declares). Broker cannot unset a setting: removing one from the program leaves it as it is, and delete leaves
 * every setting, saying so.
 */
import { defineKind, type KindContext } from "../../runtime/kind.js";
import { BrokerApi, type LiveResourceSettings } from "../api.js";
import { resourceSettingsRules, type ResourceSettingsInputs } from "./inputs.js";
import { SETTINGS, canonicalSettings, planSettings, settingsBody } from "./plan.js";

export const RESOURCE_SETTINGS_KIND = "broker:ResourceSettings";

async function write(i: ResourceSettingsInputs, ctx: KindContext): Promise<LiveResourceSettings> {
  const api = await BrokerApi.forOrg(ctx.organization, ctx.subject);
  const live = await api.getResource(i.resource);
  if (live && planSettings(i, { resource: i.resource, ...live }).changes.length === 0) return live;
  await api.putResource(i.resource, settingsBody(i));
  const after = await api.getResource(i.resource);
  if (!after) throw new Error(`${RESOURCE_SETTINGS_KIND}: Broker accepted the settings of ${i.resource} but does not answer with them`);
  return after;
}

export const brokerResourceSettings = defineKind({
  name: RESOURCE_SETTINGS_KIND,
  inputs: resourceSettingsRules,
  canonical: (p, side, _now, desired) => canonicalSettings(p, side, desired),
  replaceFields: ["resource"],
  label: (p, id) => `Broker settings of resource "${String(id ?? p.resource ?? "?")}"`,
  outputs: (live: LiveResourceSettings) => ({
    fields: Object.fromEntries(SETTINGS.filter((f) => live[f] !== undefined && live[f] !== null).map((f) => [f, live[f]])),
    computed: {},
  }),
  async create(i, ctx) {
    return { id: i.resource, observed: await write(i, ctx) };
  },
  async read(id, _previous, ctx) {
    return (await BrokerApi.forOrg(ctx.organization, ctx.subject)).getResource(id);
  },
  update: (_id, i, _olds, ctx) => write(i, ctx),
  async delete(id) {
    console.log(
      `warning: Broker keeps the settings of resource ${id}: Broker cannot unset settings. They are no longer managed by this stack.`,
    );
  },
});

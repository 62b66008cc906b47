/**
 * The pure plan of a Broker resource's settings: only the settings the program declares are compared (Broker
 * keeps the others as they are), and durations compare as durations (`P30D`, `30.00:00:00` and 2592000 are
 * one value: Broker takes ISO-8601 and answers .NET TimeSpan).
 */
import type { Side } from "../../runtime/kind.js";
import { compare, seconds, type Plan } from "../../runtime/plan.js";
import { durationSeconds } from "../../runtime/validation.js";

export const SETTINGS = [
  "maxFileTransferSize",
  "fileTransferTimeToLive",
  "purgeFileTransferAfterAllRecipientsConfirmed",
  "purgeFileTransferGracePeriod",
  "useManifestFileShim",
  "externalServiceCodeLegacy",
  "externalServiceEditionCodeLegacy",
  "requiredParty",
] as const;
const DURATIONS = new Set<string>(["fileTransferTimeToLive", "purgeFileTransferGracePeriod"]);

type Obj = Record<string, unknown>;

export function canonicalSettings(p: Obj, side: Side, desired: Obj): Obj {
  const out: Obj = { resource: p.resource };
  for (const f of SETTINGS) {
    if (side === "current" && desired[f] === undefined) continue;
    const v = p[f];
    out[f] = DURATIONS.has(f) ? (v === null || v === undefined ? null : seconds(v, 0)) : (v ?? null);
  }
  return out;
}

export function planSettings(desired: Obj, current: Obj): Plan {
  return compare(canonicalSettings(desired, "desired", desired), canonicalSettings(current, "current", desired), ["resource"]);
}

/** A duration as Broker takes it: ISO-8601 (`P30D`, `PT2H`). */
export function isoDuration(v: number | string): string {
  if (typeof v === "string" && /^P/i.test(v.trim())) return v.trim().toUpperCase();
  let s = durationSeconds(v) ?? 0;
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const time = `${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s ? `${s}S` : ""}`;
  return `P${d ? `${d}D` : ""}${time ? `T${time}` : d ? "" : "T0S"}`;
}

/** The PUT body: the declared settings only (Broker leaves what is not sent as it is). */
export function settingsBody(i: Obj): Obj {
  const body: Obj = {};
  for (const f of SETTINGS) {
    const v = i[f];
    if (v === undefined) continue;
    body[f] = DURATIONS.has(f) ? isoDuration(v as number | string) : v;
  }
  return body;
}

/**
 * The pure plan of a System Register entry. The id and the vendor cannot change; everything else is a full
 * replacement upstream (sent only when something differs). Lists are sets.
 */
import type { Side } from "../../runtime/kind.js";
import { bool, compare, sortedSet, str, type Plan } from "../../runtime/plan.js";
import { isUnknown } from "../../runtime/validation.js";
import { rightBody, rightOf, type LiveSystem } from "../api.js";
import { rightKeys } from "../rights.js";

type Obj = Record<string, unknown>;

export const SYSTEM_REPLACE_FIELDS = ["vendor", "systemId"] as const;

function texts(v: unknown): unknown {
  if (isUnknown(v) || !v || typeof v !== "object") return v;
  const o = v as Obj;
  return { en: String(o.en ?? "").trim(), nb: String(o.nb ?? "").trim(), nn: String(o.nn ?? "").trim() };
}

export function canonicalSystem(p: Obj, _side: Side): Obj {
  return {
    vendor: str(p.vendor),
    systemId: str(p.systemId),
    name: texts(p.name),
    description: texts(p.description),
    rights: rightKeys(p.rights ?? []),
    accessPackages: sortedSet(p.accessPackages),
    clientIds: sortedSet(p.clientIds),
    allowedRedirectUrls: sortedSet(p.allowedRedirectUrls),
    visible: bool(p.visible, false),
  };
}

export function planSystem(desired: Obj, current: Obj): Plan {
  return compare(canonicalSystem(desired, "desired"), canonicalSystem(current, "current"), SYSTEM_REPLACE_FIELDS);
}

/** The System Register's model of the inputs. */
export function systemBody(i: {
  vendor: string;
  systemId: string;
  name: Obj;
  description: Obj;
  rights: readonly { resource: string; action?: string | undefined }[];
  accessPackages: readonly string[];
  clientIds: readonly string[];
  allowedRedirectUrls: readonly string[];
  visible: boolean;
}): Obj {
  return {
    id: i.systemId,
    vendor: { authority: "iso6523-actorid-upis", ID: `0192:${i.vendor}` },
    name: i.name,
    description: i.description,
    rights: i.rights.map(rightBody),
    accessPackages: i.accessPackages.map((urn) => ({ urn })),
    clientId: [...i.clientIds],
    allowedRedirectUrls: [...i.allowedRedirectUrls],
    isVisible: i.visible,
  };
}

/** A live system in input names. */
export function fieldsOfSystem(l: LiveSystem): Obj {
  const vendor = (l.vendor?.ID ?? l.vendor?.id ?? "").replace(/^0192:/, "");
  return {
    vendor,
    systemId: l.id,
    name: l.name ?? {},
    description: l.description ?? {},
    rights: (l.rights ?? []).map(rightOf),
    accessPackages: (l.accessPackages ?? []).map((p) => p.urn),
    clientIds: l.clientId ?? [],
    allowedRedirectUrls: l.allowedRedirectUrls ?? [],
    visible: l.isVisible ?? false,
  };
}

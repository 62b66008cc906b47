import type { KindHandler } from "./contract.js";
import { smokeRecord } from "../smoke/runtime.js";
import { maskinportenClient } from "../maskinporten/clientHandler.js";
import { maskinportenScopeGrant } from "../maskinporten/grantHandler.js";
import { maskinportenScope } from "../maskinporten/scopeHandler.js";

/** Every resource kind the runtime serves, by the name the serialized provider passes. */
export const kinds: Readonly<Record<string, KindHandler>> = {
  "smoke:Record": smokeRecord,
  "maskinporten:Client": maskinportenClient,
  "maskinporten:Scope": maskinportenScope,
  "maskinporten:ScopeGrant": maskinportenScopeGrant,
};

import type { KindHandler } from "./contract.js";
import { smokeRecord } from "../smoke/runtime.js";

/** Every resource kind the runtime serves, by the name the serialized provider passes. */
export const kinds: Readonly<Record<string, KindHandler>> = {
  "smoke:Record": smokeRecord,
};

/** How the manifest names a place in itself, in every message. */
/** `maskinporten.clients[2].scopes[0]` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out || "(manifest)";
}

/**
 * The smoke-test kind: one key/value record on a tiny HTTP store. It exists to prove the whole path
 * (program -> engine -> dynamic-provider process -> runtime package -> HTTP) with the real CLI; it is not part
 * of any onboarding.
 */
import { request } from "undici";
import { z } from "zod";

import type { KindHandler, Props } from "../runtime/contract.js";

const inputsSchema = z.object({
  endpoint: z.url({ protocol: /^https?$/ }),
  key: z.string().regex(/^[a-z0-9-]{1,64}$/, "lower-case letters, digits and '-', at most 64"),
  value: z.string(),
});
type Inputs = z.infer<typeof inputsSchema>;

const liveSchema = z.object({ value: z.string() });

function recordUrl(i: Pick<Inputs, "endpoint" | "key">): string {
  return `${i.endpoint.replace(/\/$/, "")}/records/${encodeURIComponent(i.key)}`;
}

async function put(i: Inputs): Promise<void> {
  const res = await request(recordUrl(i), {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ value: i.value }),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`smoke:Record PUT ${recordUrl(i)}: ${res.statusCode} ${text}`);
}

export const smokeRecord: KindHandler = {
  check(_olds, news) {
    const parsed = inputsSchema.safeParse(news);
    if (parsed.success) return { inputs: parsed.data };
    return {
      failures: parsed.error.issues.map((issue) => ({
        property: issue.path.join(".") || "(inputs)",
        reason: issue.message,
      })),
    };
  },
  diff(_id, olds, news) {
    const o = olds as Partial<Inputs>;
    const n = news as Partial<Inputs>;
    const replaces = (["endpoint", "key"] as const).filter((k) => o[k] !== n[k]);
    const changes = replaces.length > 0 || o.value !== n.value;
    return { changes, replaces, deleteBeforeReplace: false };
  },
  async create(inputs) {
    const i = inputsSchema.parse(inputs);
    await put(i);
    return { id: i.key, outs: { ...i } };
  },
  async read(id, props) {
    const i = inputsSchema.parse(props);
    const res = await request(recordUrl(i), { method: "GET" });
    const text = await res.body.text();
    if (res.statusCode === 404) return { id: "" };
    if (res.statusCode >= 300) throw new Error(`smoke:Record GET ${recordUrl(i)}: ${res.statusCode} ${text}`);
    const live = liveSchema.parse(JSON.parse(text));
    const outs: Props = { ...i, value: live.value };
    return { id, props: outs, inputs: outs };
  },
  async update(_id, _olds, news) {
    const i = inputsSchema.parse(news);
    await put(i);
    return { outs: { ...i } };
  },
  async delete(_id, props) {
    const i = inputsSchema.parse(props);
    const res = await request(recordUrl(i), { method: "DELETE" });
    await res.body.text();
    if (res.statusCode >= 300 && res.statusCode !== 404) {
      throw new Error(`smoke:Record DELETE ${recordUrl(i)}: ${res.statusCode}`);
    }
  },
};

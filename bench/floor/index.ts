/**
 * The floor of `npm run bench`: the resource graph of a real run (taken from its exported state: the same
 * components, dynamic resources, type tokens, names, parents, dependencies and property sizes), registered with a
 * dynamic provider that makes no call and only sleeps, for each operation, as long as the real provider's calls
 * take one after another at the emulator's latency (bench/stories.mts CRITICAL_PATH). What the real run takes
 * beyond this is the provider's own cost. The graph comes from the file named by BENCH_FLOOR_GRAPH; each resource
 * carries what it sleeps (`floorSleepMs`), so the provider reads nothing.
 */
import { readFileSync } from "node:fs";

import * as pulumi from "@pulumi/pulumi";

import type { FloorGraph } from "./graph";

type Op = "create" | "read" | "update" | "delete";

// Serialized into state with each resource: it reads the graph at call time, inside the provider process.
const provider: pulumi.dynamic.ResourceProvider = {
  async diff() {
    return { changes: false };
  },
  async create(inputs) {
    await nap(inputs, "create");
    return { id: String(inputs.floorId), outs: inputs };
  },
  async read(id, props) {
    await nap(props, "read");
    return { id, props };
  },
  async update(_id, _olds, news) {
    await nap(news, "update");
    return { outs: news };
  },
  async delete(_id, props) {
    await nap(props, "delete");
  },
};

async function nap(props: Record<string, unknown> | undefined, op: Op): Promise<void> {
  const ms = (props?.floorSleepMs as Partial<Record<Op, number>> | undefined)?.[op] ?? 0;
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** A component of the real graph's type and name. */
class Component extends pulumi.ComponentResource {}

/** A dynamic resource of the real graph's type token. */
class Sleeper extends pulumi.dynamic.Resource {}

export = async () => {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const graph = JSON.parse(readFileSync(String(process.env.BENCH_FLOOR_GRAPH), "utf8")) as FloorGraph;
  const made = new Map<string, pulumi.Resource>();
  for (const r of graph.resources) {
    const opts = {
      ...(r.parent && made.has(r.parent) ? { parent: made.get(r.parent) } : {}),
      dependsOn: r.dependencies.map((d) => made.get(d)).filter((d): d is pulumi.Resource => d !== undefined),
    };
    if (!r.custom) {
      made.set(r.urn, new Component(r.type, r.name, {}, opts));
      continue;
    }
    const m = /^pulumi-nodejs:dynamic\/([^:]+):(.+)$/.exec(r.type);
    if (!m?.[1] || !m[2]) continue;
    const res = new Sleeper(
      provider,
      r.name,
      { ...r.props, floorSleepMs: graph.sleepMs[`${m[1]}:${m[2]}`] ?? {}, floorId: r.urn },
      { ...opts, additionalSecretOutputs: [...r.secretOutputs] },
      m[1],
      m[2],
    );
    made.set(r.urn, res);
  }
  return { filler: pulumi.secret("x".repeat(graph.stackOutputBytes)) };
};

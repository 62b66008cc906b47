// defineKind's shared steps, with a kind over an in-memory "API": outputs hold the declared fields only (as
// observed, in the user's spelling when equal) plus output-only fields; read returns the declared fields as
// inputs; diff is the pure plan; a value not known yet is a change, not a replacement.
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { defineKind } from "./kind.js";
import { inputRules } from "./inputs.js";
import { seconds, sortedSet, str } from "./plan.js";
import { UNKNOWN } from "./validation.js";

interface Thing {
  name: string;
  ttl: number;
  tags: string[];
  note: string;
}

function thingKind(store: Map<string, Thing>) {
  return defineKind({
    name: "test:Thing",
    inputs: inputRules(
      z.object({
        key: z.string(),
        name: z.string(),
        ttl: z.union([z.number(), z.string()]).optional(),
        tags: z.array(z.string()).default([]),
        note: z.string().optional(),
      }),
    ),
    canonical: (p) => ({ key: str(p.key), name: str(p.name), ttl: seconds(p.ttl, 0), tags: sortedSet(p.tags), note: str(p.note) }),
    replaceFields: ["key"],
    label: (p) => `thing ${String(p.key)}`,
    outputs: (t: Thing & { id: string }) => ({
      fields: { name: t.name, ttl: t.ttl, tags: t.tags, note: t.note },
      computed: { thingId: t.id },
    }),
    async create(i) {
      const t = { name: i.name, ttl: Number(seconds(i.ttl, 0)), tags: [...i.tags].sort(), note: i.note ?? "server default" };
      store.set(i.key, t);
      return { id: i.key, observed: { ...t, id: i.key } };
    },
    async read(id) {
      const t = store.get(id);
      return t && { ...t, id };
    },
    async update(id, i) {
      const t = { ...(store.get(id) as Thing), name: i.name, ttl: Number(seconds(i.ttl, 0)), tags: [...i.tags].sort() };
      store.set(id, t);
      return { ...t, id };
    },
    async delete(id) {
      store.delete(id);
    },
  });
}

describe("defineKind", () => {
  it("keeps only declared fields in outputs, in the user's spelling, plus output-only fields", async () => {
    const kind = thingKind(new Map());
    const checked = (await kind.check({}, { key: "a", name: "A", ttl: "PT2M", tags: ["y", "x"] })).inputs ?? {};
    const created = await kind.create(checked);
    // `note` was not declared: the server's default does not enter state.
    expect(created.outs).toEqual({ key: "a", name: "A", ttl: "PT2M", tags: ["y", "x"], thingId: "a" });
    expect((await kind.diff("a", created.outs ?? {}, checked))?.changes).toBe(false);
  });

  it("reads drift in declared fields only, and returns them as inputs", async () => {
    const store = new Map<string, Thing>();
    const kind = thingKind(store);
    const checked = (await kind.check({}, { key: "a", name: "A", ttl: 120 })).inputs ?? {};
    const { outs } = await kind.create(checked);
    store.set("a", { name: "changed", ttl: 120, tags: [], note: "changed too" });
    const read = await kind.read("a", outs);
    expect(read?.inputs).toEqual({ key: "a", name: "changed", ttl: 120, tags: [] });
    expect(read?.props).toEqual({ key: "a", name: "changed", ttl: 120, tags: [], thingId: "a" });
    const diff = await kind.diff("a", read?.props ?? {}, checked);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(kind.plan(read?.props ?? {}, checked, 0).changes.map((c) => c.field)).toEqual(["name"]);
  });

  it("reads a resource that is gone as an empty id", async () => {
    const kind = thingKind(new Map());
    expect(await kind.read("missing", { key: "missing", name: "x" })).toEqual({ id: "" });
  });

  it("plans a replacement for a known change of a replace field, and only a change while it is unknown", async () => {
    const kind = thingKind(new Map());
    const olds = { key: "a", name: "A", tags: [] };
    expect(await kind.diff("a", olds, { ...olds, key: "b" })).toEqual({ changes: true, replaces: ["key"], deleteBeforeReplace: false });
    expect(await kind.diff("a", olds, { ...olds, key: UNKNOWN })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

/**
 * `defineKind`: the steps every resource kind shares, so a kind supplies only what is its own. A kind gives its
 * input rules, its canonical form and replace fields (its pure plan), how the observed live state maps to
 * outputs, a label for messages, and its API calls; `defineKind` turns that into the handler the dispatcher
 * calls, with:
 * - `check` from the input rules (values not known yet pass; the rest is validated, defaults filled);
 * - `diff` from the pure plan only (no I/O: the engine runs diffs one at a time);
 * - outputs that hold the fields the user declared (as the API has them, in the user's spelling when they mean
 *   the same) plus the kind's output-only fields, and nothing else: a drift report then shows only what the
 *   program manages;
 * - `read` that returns those outputs and, as inputs, the declared fields only;
 * - the acting organisation and a subject for error messages resolved once, from the resource's props;
 * - a create that failed without an answer sent again: when a kind can `find` what a create made, a create that
 *   got no usable answer (a connection error or a 5xx) is followed by `find`; what it finds is the create's
 *   result (the answer was lost, the work was done), and when it proves nothing was committed the create is sent
 *   again, within the retry budget (`httpMaxAttempts`). A refusal (4xx) is never sent again.
 */
import type { z } from "zod";

import type { KindHandler, Props } from "./contract.js";
import type { ErrorSubject } from "./errors.js";
import { checkInputs, parseInputs, type InputRules } from "./inputs.js";
import { ApiError, ResourceInitError } from "./errors.js";
import { outcomeOf, pause, retryPolicy } from "./http.js";
import { compare, diffOf, stableJson, type Plan } from "./plan.js";

/** What a kind's calls get besides their inputs. */
export interface KindContext {
  /** The organisation whose credentials act: the resource's `organization` (else the stack's default). */
  readonly organization: string | undefined;
  /** Who is acting on what, for error messages. */
  readonly subject: ErrorSubject;
}

/**
 * Thrown by a kind's create when its object exists upstream but is not ready (what it observed is kept, so the
 * resource is recorded with its id): see {@link ResourceInitError}.
 */
export class IncompleteCreateError<Observed> extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly observed: Observed,
  ) {
    super(message);
    this.name = "IncompleteCreateError";
  }
}

/** Which side of a comparison a canonical form is made for. */
export type Side = "desired" | "current";

export interface KindSpec<S extends z.ZodRawShape, Observed, Canon extends object> {
  /** `<module>:<Type>`: the runtime's name for the kind; its type token is `pulumi-nodejs:dynamic/<module>:<Type>`. */
  readonly name: string;
  readonly inputs: InputRules<S>;
  /** Output-only values `check` can compute from the inputs alone, so that a preview keeps them known. */
  checked?(inputs: z.output<z.ZodObject<S>>): Props;
  /**
   * CPU work (no I/O) that `check` starts in the background for a resource it sees for the first time (no old
   * inputs), so that a later create finds it done: a client's key pairs. The engine checks every resource one at a
   * time while the program registers them, long before the creates run; work started then overlaps what the
   * engine and program do. Must not throw; `check` does not wait for it. In a preview nothing uses it.
   */
  prepare?(inputs: z.output<z.ZodObject<S>>): void;
  /**
   * The canonical form of desired inputs or of current outputs. Must pass preview's unknown sentinel through.
   * `nowMs` is the clock, for kinds whose state ages (keys near expiry); `desired` are the desired inputs, for a
   * current form that depends on a desired setting (a renewal window).
   */
  canonical(props: Props, side: Side, nowMs: number, desired: Props): Canon;
  /** Canonical fields the API cannot change in place: a change replaces the resource. */
  readonly replaceFields: readonly (keyof Canon & string)[];
  /** Delete the old resource before creating its replacement (when both cannot exist at once upstream). */
  readonly deleteBeforeReplace?: boolean;
  /** Output fields that hold secrets (tools never print them). */
  readonly secretFields?: readonly string[];
  /** Fields that are sets (tools show additions and removals). */
  readonly setFields?: readonly string[];
  /** A short human name, e.g. `client "orders" (client_id 4f0c...)`. */
  label(props: Props, id?: string): string;
  /**
   * Observed state to outputs: the live value of each input field (input names) and the output-only fields.
   * `declared` are the declared inputs, for kinds that show only the declared parts of a nested value.
   */
  outputs(observed: Observed, declared: Props): { fields: Props; computed: Props };
  create(inputs: z.output<z.ZodObject<S>>, ctx: KindContext): Promise<{ id: string; observed: Observed }>;
  /**
   * What a create with these inputs made, found without its answer (by a natural key, or a marker the create
   * stores), or undefined when nothing was committed. It may finish what it finds (a client's keys), so that it
   * returns what `create` would have. Without it, a create that failed is never sent again.
   */
  find?(inputs: z.output<z.ZodObject<S>>, ctx: KindContext): Promise<{ id: string; observed: Observed } | undefined>;
  /** The live state, or undefined when it is gone. `previous` are the outputs in state. */
  read(id: string, previous: Props, ctx: KindContext): Promise<Observed | undefined>;
  update?(id: string, inputs: z.output<z.ZodObject<S>>, olds: Props, ctx: KindContext): Promise<Observed>;
  delete?(id: string, previous: Props, ctx: KindContext): Promise<void>;
}

/** A kind's handler plus what tools need to explain its changes. */
export interface Kind extends Required<KindHandler> {
  readonly name: string;
  readonly secretFields: readonly string[];
  readonly setFields: readonly string[];
  /** The pure plan: current state (outputs) against desired state (inputs). */
  plan(current: Props, desired: Props, nowMs: number): Plan;
}

function contextOf(spec: { name: string; label(p: Props, id?: string): string }, props: Props, id?: string): KindContext {
  return {
    organization: typeof props.organization === "string" ? props.organization : undefined,
    subject: { kind: spec.name, resource: spec.label(props, id) },
  };
}

export function defineKind<S extends z.ZodRawShape, Observed, Canon extends object>(spec: KindSpec<S, Observed, Canon>): Kind {
  const plan = (current: Props, desired: Props, nowMs: number): Plan =>
    compare(spec.canonical(desired, "desired", nowMs, desired), spec.canonical(current, "current", nowMs, desired), spec.replaceFields);

  /**
   * A declared value in the user's spelling ("PT2M" for 120, scopes in their order) when putting the live value
   * in its place changes nothing in the canonical form; otherwise the live value.
   */
  const spelling = (declared: Props, field: string, live: unknown): unknown => {
    const canon = (p: Props): string => stableJson(spec.canonical(p, "desired", 0, p));
    return canon(declared) === canon({ ...declared, [field]: live }) ? declared[field] : live;
  };

  /** Outputs: the declared fields as observed, then the output-only fields. */
  const outputsOf = (declared: Props, observed: Observed): Props => {
    const { fields, computed } = spec.outputs(observed, declared);
    const outs: Props = { ...declared };
    for (const k of Object.keys(declared)) if (k in fields) outs[k] = spelling(declared, k, fields[k]);
    return { ...outs, ...computed };
  };

  /** The input fields a previous state holds: what the user declared (and `check`'s defaults). */
  const declaredIn = (props: Props): Props =>
    Object.fromEntries(spec.inputs.keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));

  /**
   * The kind's create, sent again while it fails without effect. After a failure without a usable answer it waits
   * (backoff), then asks `find`: what it finds is the result; nothing found means nothing was committed, and the
   * create goes again. A failure whose request may still be in flight upstream (a timeout, a 504) is not sent
   * again in this run: the next run's create finds what it made.
   */
  const createOnce = async (inputs: z.output<z.ZodObject<S>>, ctx: KindContext): Promise<{ id: string; observed: Observed }> => {
    const budget = Math.max(1, retryPolicy().maxAttempts);
    for (let attempt = 1; ; attempt++) {
      try {
        return await spec.create(inputs, ctx);
      } catch (e) {
        const outcome = outcomeOf(e);
        if (!spec.find || outcome === "rejected") throw e;
        await pause(attempt);
        let found: { id: string; observed: Observed } | undefined;
        try {
          found = await spec.find(inputs, ctx);
        } catch {
          throw e; // nothing is proven either way: the next run's create looks again
        }
        if (found) return found;
        if (outcome === "pending") {
          throw e instanceof ApiError
            ? e.with({
                hint: "the request may still take effect upstream: run `pulumi up` again, which finds what it made instead of making it twice",
              })
            : e;
        }
        if (attempt >= budget) throw e;
      }
    }
  };

  return {
    name: spec.name,
    secretFields: spec.secretFields ?? [],
    setFields: spec.setFields ?? [],
    plan,
    check(olds, news) {
      const result = checkInputs(spec.inputs, news);
      if (result.inputs && spec.prepare && Object.keys(olds).length === 0) {
        const parsed = spec.inputs.shape.safeParse(result.inputs);
        try {
          if (parsed.success) spec.prepare(parsed.data);
        } catch {
          // background work only: a create does it itself
        }
      }
      if (!result.inputs || !spec.checked) return result;
      const parsed = spec.inputs.shape.safeParse(result.inputs);
      return parsed.success ? { inputs: { ...result.inputs, ...spec.checked(parsed.data) } } : result;
    },
    diff(_id, olds, news) {
      const d = diffOf(plan(olds, news, Date.now()));
      return { ...d, deleteBeforeReplace: d.replaces.length > 0 && spec.deleteBeforeReplace === true };
    },
    async create(props) {
      const inputs = parseInputs(spec.inputs, props, spec.name);
      try {
        const { id, observed } = await createOnce(inputs, contextOf(spec, props));
        return { id, outs: outputsOf(declaredIn(props), observed) };
      } catch (e) {
        if (e instanceof IncompleteCreateError) {
          throw new ResourceInitError(e.message, e.id, outputsOf(declaredIn(props), e.observed as Observed));
        }
        throw e;
      }
    },
    async read(id, props) {
      const previous = props ?? {};
      const observed = await spec.read(id, previous, contextOf(spec, previous, id));
      if (observed === undefined) return { id: "" };
      const declared = declaredIn(previous);
      const outs = outputsOf(declared, observed);
      return { id, props: outs, inputs: declaredIn(Object.fromEntries(Object.keys(declared).map((k) => [k, outs[k]]))) };
    },
    async update(id, olds, news) {
      if (!spec.update) throw new Error(`${spec.name} cannot be updated in place: every change replaces it`);
      const inputs = parseInputs(spec.inputs, news, spec.name);
      const observed = await spec.update(id, inputs, olds, contextOf(spec, news, id));
      return { outs: outputsOf(declaredIn(news), observed) };
    },
    async delete(id, props) {
      await spec.delete?.(id, props, contextOf(spec, props, id));
    },
  };
}

import * as pulumi from "@pulumi/pulumi";
import shell = require("@altinn-onboarding/provider-shell");

/**
 * Base class of every altinn-onboarding dynamic resource.
 *
 * HOW TO DEFINE A KIND: `class X extends KindResource { constructor(name, args, opts) {
 *   super("maskinporten", "Client", name, { ...args, someOutput: undefined }, opts); } }` and register the
 * handler in providers/kinds.ts under the kind name "maskinporten:Client" (`<module>:<type>`); docs/architecture.md.
 *
 * Every resource passes the same provider object, `@altinn-onboarding/provider-shell`, which is installed as a
 * real package under node_modules. Pulumi's closure serializer therefore stores it by reference: the
 * `__provider` in state is a few hundred bytes that `require` the shell, whose methods `require` the installed
 * runtime at call time and dispatch on the `resourceKind` property added here. Consequences:
 * - `read`/`delete` run the code that is installed now, not code frozen in state when the resource was made;
 * - the runtime's module-level caches (tokens, HTTP pools, config) are shared by every resource of one run;
 * - the type token is still per kind: `pulumi-nodejs:dynamic/<module>:<type>`.
 */
export class KindResource extends pulumi.dynamic.Resource {
  /** `<module>:<type>`: which runtime handler serves this resource. */
  declare readonly resourceKind: pulumi.Output<string>;

  constructor(module: string, type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(shell, name, { ...props, resourceKind: `${module}:${type}` }, opts, module, type);
  }
}

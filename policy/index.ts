/**
 * The onboarding policy pack: each rule of `rules.ts` as a mandatory resource policy, plus a stack policy that
 * refuses to judge a stack whose configuration did not reach the pack (its environment decides what applies).
 *
 * The stack configuration reaches a Node policy pack through the language host: it answers the engine's
 * ConfigureStack call and starts the pack with the stack config in PULUMI_CONFIG, which
 * `pulumi.runtime.allConfig()` reads. The official CLI's Node host does that since 3.221; offline, this
 * repository's language host front (tools/pulumi-language-front) does the same.
 */
import { PolicyPack, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";

import { RULES, stackFacts, type StackFacts } from "./rules";

let facts: StackFacts | undefined;
function stack(): StackFacts {
  facts ??= stackFacts(pulumi.runtime.allConfig());
  return facts;
}

const resourcePolicies: ResourceValidationPolicy[] = RULES.map((rule) => ({
  name: rule.name,
  description: rule.description,
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const resource = { type: args.type, name: args.name, props: args.props as Record<string, unknown>, protect: args.opts.protect };
    for (const message of rule.check(resource, stack())) reportViolation(message);
  },
}));

const environmentDeclared: StackValidationPolicy = {
  name: "stack-declares-environment",
  description: "The stack sets altinn-onboarding:environment, and the policy pack received the stack's configuration.",
  enforcementLevel: "mandatory",
  validateStack: (_args, reportViolation) => {
    if (pulumi.runtime.allConfig()["altinn-onboarding:environment"] === undefined) {
      reportViolation(
        "the policy pack did not receive altinn-onboarding:environment: set it in the stack config (local, test or prod); " +
          "if it is set, the language host did not pass the stack configuration (use Pulumi CLI >= 3.221, or run bash tools/setup.sh)",
      );
    }
  },
};

new PolicyPack("altinn-onboarding", { policies: [...resourcePolicies, environmentDeclared] });

import type * as pulumi from "@pulumi/pulumi";

/** The shared provider object of every altinn-onboarding dynamic resource (see index.js). */
declare const shell: pulumi.dynamic.ResourceProvider;
export = shell;

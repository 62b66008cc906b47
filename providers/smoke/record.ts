import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../dynamic.js";

/** Arguments of {@link SmokeRecord}. */
export interface SmokeRecordArgs {
  /** Base URL of the record store (http on 127.0.0.1 in the tests). Changing it replaces the record. */
  readonly endpoint: pulumi.Input<string>;
  /** The record's key: lower-case letters, digits and '-'. Changing it replaces the record. */
  readonly key: pulumi.Input<string>;
  /** The record's value; updated in place. */
  readonly value: pulumi.Input<string>;
}

/** A key/value record on a tiny HTTP store: the foundation's end-to-end smoke resource. */
export class SmokeRecord extends KindResource {
  declare readonly endpoint: pulumi.Output<string>;
  declare readonly key: pulumi.Output<string>;
  declare readonly value: pulumi.Output<string>;

  constructor(name: string, args: SmokeRecordArgs, opts?: pulumi.CustomResourceOptions) {
    super("smoke", "Record", name, { ...args }, opts);
  }
}

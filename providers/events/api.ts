/** Altinn Events subscriptions (`{altinn}/events/api/v1/subscriptions`), with an Altinn token. */
import { z } from "zod";

import { AltinnApi } from "../runtime/altinn.js";
import type { ErrorSubject } from "../runtime/errors.js";

const BASE = "/events/api/v1/subscriptions";

export const liveSubscription = z.looseObject({
  id: z.union([z.number(), z.string()]),
  endPoint: z.string(),
  resourceFilter: z.string().nullish(),
  subjectFilter: z.string().nullish(),
  typeFilter: z.string().nullish(),
  includeSubunits: z.boolean().nullish(),
  consumer: z.string().nullish(),
  created: z.string().nullish(),
  validated: z.boolean().nullish(),
});
export type LiveSubscription = z.infer<typeof liveSubscription>;

export interface SubscriptionRequest {
  endPoint: string;
  resourceFilter: string;
  subjectFilter?: string;
  typeFilter?: string;
  includeSubunits: boolean;
}

export class EventsApi {
  private constructor(private readonly api: AltinnApi) {}

  /** As `org`; a service owner also asks for `altinn:serviceowner` (its token then names its org code). */
  static async forOrg(org: string | undefined, serviceOwner: boolean, subject: ErrorSubject): Promise<EventsApi> {
    const scopes = serviceOwner ? ["altinn:events.subscribe", "altinn:serviceowner"] : ["altinn:events.subscribe"];
    return new EventsApi(await AltinnApi.forOrg(org, scopes, "Altinn Events", subject));
  }

  get orgNumber(): string {
    return this.api.orgNumber;
  }

  get environment(): string {
    return this.api.env.name;
  }

  /** Creates, or (Events being idempotent on identical filters) answers the existing identical subscription. */
  create(body: SubscriptionRequest): Promise<LiveSubscription> {
    return this.api.json(
      {
        method: "POST",
        path: BASE,
        json: body,
        // An identical POST answers the same subscription: a repeat is safe.
        idempotent: true,
        hints: {
          400: "Events refused the subscription: the endpoint must be an absolute https URL and the resource filter a lower-case urn:altinn:resource:<id>",
          403: "Events refused: the organisation needs the scope altinn:events.subscribe, and the resource's policy must permit it `subscribe` (with a subject filter of its own organisation unless it owns the resource)",
        },
      },
      liveSubscription,
    );
  }

  async get(id: string): Promise<LiveSubscription | undefined> {
    const req = { method: "GET" as const, path: `${BASE}/${encodeURIComponent(id)}`, accept: [404] };
    const res = await this.api.send(req);
    return res.status === 404 ? undefined : this.api.parse(req, res, liveSubscription);
  }

  /** The caller's own subscriptions, validated or not. */
  async list(): Promise<LiveSubscription[]> {
    const body = await this.api.json({ method: "GET", path: BASE }, z.looseObject({ subscriptions: z.array(liveSubscription).nullish() }));
    return body.subscriptions ?? [];
  }

  async delete(id: string): Promise<void> {
    await this.api.send({ method: "DELETE", path: `${BASE}/${encodeURIComponent(id)}`, accept: [404] });
  }
}

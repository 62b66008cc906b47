/**
 * The Altinn platform client every Altinn kind uses: a Maskinporten token for the acting organisation's client,
 * exchanged for an Altinn token (cached per environment, client and scope set, refreshed before it expires),
 * the API Management subscription key where the environment's config names one, and Altinn's error shapes
 * (`RR-00001`, `validationErrors[]`, `errors{Field: [..]}`, plain strings) turned into messages that name the
 * field. A 401 drops the cached tokens and retries once.
 */
import type { z } from "zod";

import { adminCredential, type AdminCredential } from "./credentials.js";
import { currentEnvironment, type Environment } from "./environments.js";
import type { ErrorSubject } from "./errors.js";
import { ApiClient, type HttpRequest, type HttpResponse } from "./http.js";
import { altinnHeaders, altinnToken, forgetToken } from "./tokens.js";

export type AltinnRequest = Omit<HttpRequest, "token" | "subject">;

export class AltinnApi {
  private readonly http: ApiClient;

  private constructor(
    readonly env: Environment,
    readonly cred: AdminCredential,
    /** The Altinn scopes this API's calls need (one token per scope set). */
    readonly scopes: readonly string[],
    /** A human name for messages, e.g. `Altinn Resource Registry`. */
    readonly api: string,
    private readonly subject: ErrorSubject,
  ) {
    this.http = new ApiClient(api, env.altinnUrl);
  }

  /** The API as the organisation `orgNumber` (or the stack's default organisation). */
  static async forOrg(orgNumber: string | undefined, scopes: readonly string[], api: string, subject: ErrorSubject): Promise<AltinnApi> {
    const env = currentEnvironment();
    return new AltinnApi(env, await adminCredential(orgNumber, env), scopes, api, subject);
  }

  get orgNumber(): string {
    return this.cred.orgNumber;
  }

  /** A copy whose errors name another resource. */
  about(subject: ErrorSubject): AltinnApi {
    return new AltinnApi(this.env, this.cred, this.scopes, this.api, subject);
  }

  async send(req: AltinnRequest): Promise<HttpResponse> {
    const attempt = async (tolerate401: boolean): Promise<HttpResponse> =>
      this.http.send({
        ...req,
        subject: this.subject,
        token: await altinnToken(this.env, this.cred, this.scopes),
        headers: { ...altinnHeaders(), ...req.headers },
        accept: tolerate401 ? [...(req.accept ?? []), 401] : req.accept,
        hints: { 401: this.hint401(), 403: this.hint403(), ...req.hints },
      });
    const res = await attempt(true);
    if (res.status !== 401 || req.accept?.includes(401)) return res;
    // The token may have been revoked or the signing keys rotated: one fresh token, then give up.
    forgetToken(this.env, this.cred.clientId, this.scopes);
    return attempt(false);
  }

  async json<S extends z.ZodType>(req: AltinnRequest, schema: S): Promise<z.infer<S>> {
    const res = await this.send(req);
    return this.http.parse({ ...req, subject: this.subject }, res, schema);
  }

  parse<S extends z.ZodType>(req: AltinnRequest, res: HttpResponse, schema: S): z.infer<S> {
    return this.http.parse({ ...req, subject: this.subject }, res, schema);
  }

  private hint401(): string {
    return `Altinn did not accept the token of organisation ${this.orgNumber}'s client ${this.cred.clientId}: check that the client and the environment belong together${
      this.env.name === "local"
        ? ""
        : ", and the API Management subscription key (altinn-onboarding:altinnSubscriptionKey) if the environment needs one"
    }`;
  }

  private hint403(): string {
    return `organisation ${this.orgNumber} may not do this: its client needs the scopes ${this.scopes.join(" ")} (ask Altinn's service desk, servicedesk@altinn.no), and the resource or list must belong to it`;
  }
}

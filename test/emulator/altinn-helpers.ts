// Helpers for the Altinn APIs, written from shared/specs/altinn-*.md: token exchange and raw HTTP calls.
import { type TestEmulator, adminToken } from "./helpers.js";

export interface RawResult {
  status: number;
  text: string;
  headers: Headers;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
}

export async function call(
  url: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string | Buffer } = {},
): Promise<RawResult> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers["authorization"] = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: body instanceof Buffer ? new Uint8Array(body) : body }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, headers: res.headers, json };
}

/** Maskinporten token (admin client, x5c) exchanged for an Altinn token, as spec §1 describes. */
export async function altinnToken(t: TestEmulator, code: string, scopes?: string[], query = ""): Promise<string> {
  const mp = await adminToken(t, code, scopes);
  const r = await call(t.emu.url, "GET", `/authentication/api/v1/exchange/maskinporten${query}`, { token: mp });
  if (r.status !== 200) throw new Error(`exchange for ${code}: ${r.status} ${r.text}`);
  return r.text;
}

export const TEXTS = { en: "English", nb: "Bokmål", nn: "Nynorsk" };

/** The spec's minimal create body (§2), for an owner. */
export function minimalResource(
  id: string,
  owner: { orgNumber: string; orgCode: string },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    identifier: id,
    title: TEXTS,
    description: TEXTS,
    rightDescription: TEXTS,
    contactPoints: [{ category: "Support", email: "x@y.no", telephone: "", contactPage: "" }],
    hasCompetentAuthority: { organization: owner.orgNumber, orgcode: owner.orgCode },
    accessListMode: "Disabled",
    resourceType: "CorrespondenceService",
    availableForType: ["Company"],
    ...extra,
  };
}

/** The spec's generation template (§3): one Permit rule per entry, role DAGL, the resource id, the actions. */
export function policyXml(resourceIds: readonly (string | null)[], actions: readonly string[] = ["read", "write"]): string {
  const rules = resourceIds
    .map((rid, n) => {
      const resourceAnyOf =
        rid === null
          ? ""
          : `<xacml:AnyOf><xacml:AllOf><xacml:Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
     <xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${rid}</xacml:AttributeValue>
     <xacml:AttributeDesignator AttributeId="urn:altinn:resource" Category="urn:oasis:names:tc:xacml:3.0:attribute-category:resource" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
    </xacml:Match></xacml:AllOf></xacml:AnyOf>`;
      const actionAllOfs = actions
        .map(
          (a) => `<xacml:AllOf><xacml:Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
     <xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${a}</xacml:AttributeValue>
     <xacml:AttributeDesignator AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
    </xacml:Match></xacml:AllOf>`,
        )
        .join("");
      return ` <xacml:Rule RuleId="urn:altinn:resource:${rid ?? "x"}:ruleid:${n + 1}" Effect="Permit">
  <xacml:Description>rule ${n + 1}</xacml:Description>
  <xacml:Target>
   <xacml:AnyOf><xacml:AllOf><xacml:Match MatchId="urn:oasis:names:tc:xacml:3.0:function:string-equal-ignore-case">
     <xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">DAGL</xacml:AttributeValue>
     <xacml:AttributeDesignator AttributeId="urn:altinn:rolecode" Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
    </xacml:Match></xacml:AllOf></xacml:AnyOf>
   ${resourceAnyOf}
   <xacml:AnyOf>${actionAllOfs}</xacml:AnyOf>
  </xacml:Target>
 </xacml:Rule>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<xacml:Policy xmlns:xacml="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="urn:altinn:resource:p:policyid:1" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
 <xacml:Target/>
${rules}
</xacml:Policy>
`;
}

/** A multipart/form-data body with one file part. */
export function multipart(
  field: string,
  filename: string,
  content: string,
  contentType = "text/xml",
): { body: Buffer; contentType: string } {
  const boundary = `----emu${Math.random().toString(16).slice(2)}`;
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n${content}\r\n--${boundary}--\r\n`,
    "utf8",
  );
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

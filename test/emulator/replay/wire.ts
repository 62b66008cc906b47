// Request bodies as the replayed .NET tests put them on the wire: `JsonSerializer.Serialize(new ServiceResource {...})`
// with default options writes PascalCase names, every property (nulls included) and the C# defaults; enums that
// carry a JsonStringEnumConverter are written as names.

export type Langs = Partial<Record<"en" | "nb" | "nn", string>>;
export const ALL_LANGS: Langs = { en: "English", nb: "Bokmal", nn: "Nynorsk" };

export interface CsReference {
  ReferenceSource: string | null;
  Reference: string | null;
  ReferenceType: string | null;
}

export interface CsResourceInput {
  Identifier: string;
  Title?: Langs | null;
  Description?: Langs | null;
  RightDescription?: Langs | null;
  ContactPoints?: { Category: string; Email: string; Telephone: string; ContactPage: string }[] | null;
  ResourceReferences?: readonly CsReference[] | null;
  Delegable?: boolean;
  HasCompetentAuthority?: { Organization: string | null; Orgcode: string | null } | null;
  AccessListMode?: "Disabled" | "Enabled";
  ResourceType?: string;
  Status?: string | null;
  Homepage?: string | null;
  IsPartOf?: string | null;
}

/** The whole ServiceResource as System.Text.Json writes it by default. */
export function csResource(r: CsResourceInput): Record<string, unknown> {
  const hca = r.HasCompetentAuthority;
  return {
    Identifier: r.Identifier,
    Version: null,
    Title: r.Title ?? null,
    Description: r.Description ?? null,
    RightDescription: r.RightDescription ?? null,
    Homepage: r.Homepage ?? null,
    Status: r.Status ?? null,
    Spatial: null,
    ContactPoints: r.ContactPoints ?? null,
    Produces: null,
    IsPartOf: r.IsPartOf ?? null,
    ThematicAreas: null,
    ResourceReferences: r.ResourceReferences ?? null,
    Delegable: r.Delegable ?? true,
    Visible: true,
    HasCompetentAuthority: hca === undefined || hca === null ? null : { Name: {}, Organization: hca.Organization, Orgcode: hca.Orgcode },
    Keywords: null,
    AccessListMode: r.AccessListMode ?? "Disabled",
    SelfIdentifiedUserEnabled: false,
    EnterpriseUserEnabled: false,
    ResourceType: r.ResourceType ?? "Default",
    AvailableForType: null,
    AuthorizationReference: null,
    ConsentTemplate: null,
    ConsentText: null,
    ConsentMetadata: null,
    IsOneTimeConsent: false,
    VersionId: 0,
  };
}

export const SUPPORT_CONTACT = [
  { Category: "Support", ContactPage: "support.example.no", Email: "support@example.no", Telephone: "+4790012345" },
];

/** The complete resource most of ResourceControllerTest.cs sends (titles, descriptions, right descriptions, contact). */
export function fullResource(
  id: string,
  owner: { orgNumber: string; orgCode: string },
  extra: Partial<CsResourceInput> = {},
): Record<string, unknown> {
  return csResource({
    Identifier: id,
    Title: ALL_LANGS,
    Status: "Active",
    Homepage: "www.altinn.no",
    IsPartOf: "Altinn",
    Description: ALL_LANGS,
    RightDescription: ALL_LANGS,
    ContactPoints: SUPPORT_CONTACT,
    HasCompetentAuthority: { Organization: owner.orgNumber, Orgcode: owner.orgCode },
    ResourceType: "GenericAccessResource",
    ...extra,
  });
}

export const scopeRef = (scope: string): CsReference => ({
  ReferenceSource: "Altinn2",
  ReferenceType: "MaskinportenScope",
  Reference: scope,
});

/** XACML policy with one Permit rule per entry: subject attribute, the resource id (or none), actions. */
export function xacml(
  rules: { subject?: [string, string][]; resource: string | null; actions: string[]; matchId?: string }[],
  policyResource = "replay",
): string {
  const m = (id: string, category: string, value: string, fn = "urn:oasis:names:tc:xacml:1.0:function:string-equal") =>
    `<xacml:Match MatchId="${fn}"><xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${value}</xacml:AttributeValue>` +
    `<xacml:AttributeDesignator AttributeId="${id}" Category="${category}" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/></xacml:Match>`;
  const body = rules
    .map((r, i) => {
      const subject = (r.subject ?? [["urn:altinn:rolecode", "DAGL"]])
        .map(
          ([id, v]) => `<xacml:AllOf>${m(id, "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject", v, r.matchId)}</xacml:AllOf>`,
        )
        .join("");
      const resource =
        r.resource === null
          ? ""
          : `<xacml:AnyOf><xacml:AllOf>${m("urn:altinn:resource", "urn:oasis:names:tc:xacml:3.0:attribute-category:resource", r.resource)}</xacml:AllOf></xacml:AnyOf>`;
      const actions = r.actions
        .map(
          (a) =>
            `<xacml:AllOf>${m("urn:oasis:names:tc:xacml:1.0:action:action-id", "urn:oasis:names:tc:xacml:3.0:attribute-category:action", a)}</xacml:AllOf>`,
        )
        .join("");
      return `<xacml:Rule RuleId="urn:altinn:resource:${policyResource}:ruleid:${i + 1}" Effect="Permit"><xacml:Target><xacml:AnyOf>${subject}</xacml:AnyOf>${resource}<xacml:AnyOf>${actions}</xacml:AnyOf></xacml:Target></xacml:Rule>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<xacml:Policy xmlns:xacml="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="urn:altinn:resource:${policyResource}:policyid:1" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
<xacml:Target/>
${body}
</xacml:Policy>
`;
}

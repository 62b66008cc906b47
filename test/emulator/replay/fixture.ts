// The replay suite's own emulator: the default seed's organisations, plus what the replayed sources need and the
// default seed does not carry (many Register parties for paging, admin and publish scopes, a portal scope).
// Real ids in the sources are replaced by these: ttd stands in for skd/ttd, vendor for 991825827, consumer-a/-b
// for the sender/recipient organisations.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../../emulator/index.js";
import { call, type RawResult } from "../altinn-helpers.js";
import { type AdminCredentials, type TestEmulator, adminToken } from "../helpers.js";

/** Extra Register parties: org numbers 316000000 + i (nine digits; the Register does not check MOD11). */
export const EXTRA_PARTIES = 260;
export const extraPartyOrg = (i: number): string => String(316_000_000 + i);

export interface SeedOrg {
  orgNumber: string;
  orgCode: string;
  adminClient: { scopes: string[] };
  [key: string]: unknown;
}
export interface SeedDoc {
  organizations: SeedOrg[];
  scopes: { name: string; description: string }[];
  grants: { scope: string; consumers: string[] }[];
  parties: { orgNumber: string; name: string }[];
  altinn: Record<string, unknown>;
}

/** Scopes the replayed sources use that the default seed leaves out, and who gets them here. */
const EXTRA_SCOPES: { name: string; org: string }[] = [
  { name: "altinn:resourceregistry/resource.admin", org: "310000019" },
  { name: "altinn:resourceregistry/resource.write", org: "310000019" },
  { name: "altinn:resourceregistry/accesslist.write", org: "310000019" },
  { name: "altinn:events.publish", org: "311000012" },
  { name: "altinn:events.publish", org: "310000019" },
  { name: "altinn:events.publish.admin", org: "310000019" },
  { name: "altinn:portal/enduser", org: "312000016" },
  { name: "altinn:maskinporten/systemuser.read", org: "310000019" },
  { name: "altinn:authentication/systemregister.admin", org: "310000019" },
  { name: "altinn:authentication/systemregister.write", org: "314000013" },
  // Correspondence: a second sender the policies name (consumer-b) and one they do not (vendor).
  { name: "altinn:correspondence.write", org: "314000013" },
  { name: "altinn:correspondence.write", org: "312000016" },
  // Broker file transfers: a second sender and a recipient.
  { name: "altinn:broker.write", org: "314000013" },
  { name: "altinn:broker.read", org: "313000028" },
];

/** The default seed as a document to modify. */
export function defaultSeedDoc(): SeedDoc {
  return JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "emulator", "seed", "default.json"), "utf8")) as SeedDoc;
}

/** Gives `org` the scope: declared (if new), granted, and on its admin client. */
export function grantScope(seed: SeedDoc, name: string, org: string): void {
  if (!seed.scopes.some((s) => s.name === name)) seed.scopes.push({ name, description: `test: ${name}` });
  const grant = seed.grants.find((g) => g.scope === name);
  if (grant) {
    if (!grant.consumers.includes(org)) grant.consumers.push(org);
  } else seed.grants.push({ scope: name, consumers: [org] });
  const o = seed.organizations.find((x) => x.orgNumber === org);
  if (o && !o.adminClient.scopes.includes(name)) o.adminClient.scopes.push(name);
}

function replaySeed(): SeedDoc {
  const seed = defaultSeedDoc();
  for (const { name, org } of EXTRA_SCOPES) grantScope(seed, name, org);
  for (let i = 0; i < EXTRA_PARTIES; i++) seed.parties.push({ orgNumber: extraPartyOrg(i), name: `Replay party ${i}` });
  seed.altinn = { ...seed.altinn, eventsRetryFactor: 0.001, brokerDeployMs: 0 };
  return seed;
}

export interface Replay extends TestEmulator {
  /** An Altinn token (Maskinporten token exchanged) for a seeded org, with the given scopes (default: all of its admin client's). */
  altinn(code: string, scopes?: string[]): Promise<string>;
  /** A raw Maskinporten token for a seeded org. */
  maskinporten(code: string, scopes?: string[]): Promise<string>;
  call: (method: string, path: string, opts?: Parameters<typeof call>[3]) => Promise<RawResult>;
  reset(): Promise<void>;
  /** The Register party (uuid, id) of an org number, from the emulator's state. */
  party(orgNumber: string): Promise<{ partyUuid: string; partyId: number }>;
}

export async function startReplay(): Promise<Replay> {
  return startWithSeed(replaySeed());
}

/** An emulator of its own (fresh state directory) with the given seed. */
export async function startWithSeed(seed: SeedDoc): Promise<Replay> {
  const dir = mkdtempSync(join(tmpdir(), "emu-replay-"));
  const seedFile = join(dir, "seed.json");
  writeFileSync(seedFile, JSON.stringify(seed));
  const emu = await startEmulator({ port: 0, stateDir: join(dir, "state"), seedFile, quiet: true });
  const creds = (await (await fetch(`${emu.url}/__emulator/credentials`)).json()) as { organizations: AdminCredentials[] };
  const base: TestEmulator = {
    emu,
    stateDir: dir,
    orgs: creds.organizations,
    org(code) {
      const o = creds.organizations.find((x) => x.orgCode === code);
      if (!o) throw new Error(`no seeded org ${code}`);
      return o;
    },
    async stop() {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  let parties: { orgNumber: string; partyUuid: string; partyId: number }[] | undefined;
  return {
    ...base,
    maskinporten: (code, scopes) => adminToken(base, code, scopes),
    async altinn(code, scopes) {
      const mp = await adminToken(base, code, scopes);
      const r = await call(emu.url, "GET", "/authentication/api/v1/exchange/maskinporten", { token: mp });
      if (r.status !== 200) throw new Error(`exchange for ${code}: ${r.status} ${r.text}`);
      return r.text;
    },
    call: (method, path, opts) => call(emu.url, method, path, opts),
    async reset() {
      await fetch(`${emu.url}/__emulator/reset`, { method: "POST" });
    },
    async party(orgNumber) {
      parties ??= ((await (await fetch(`${emu.url}/__emulator/state`)).json()) as { parties: typeof parties }).parties;
      const p = parties?.find((x) => x.orgNumber === orgNumber);
      if (!p) throw new Error(`no party ${orgNumber}`);
      return p;
    },
  };
}

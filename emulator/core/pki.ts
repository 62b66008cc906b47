// The emulator's key material: a test CA that issues business certificates (virksomhetssertifikat) to the
// seeded organisations, and the RSA key that signs access tokens. Generated at first start and kept in the
// state dir, so restarts and resets keep credentials and tokens valid.
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { join } from "node:path";
import forge from "node-forge";
import { atomicWriteJson, readJsonFile } from "./persist.js";
import { type Organization } from "./state.js";

interface OrgCertificate {
  /** Leaf only; the chain handed out is leaf + CA. */
  certificatePem: string;
  keyPem: string;
}

interface PkiFile {
  version: 1;
  ca: { certificatePem: string; keyPem: string };
  signing: { kid: string; keyPem: string };
  orgs: Record<string, OrgCertificate>;
}

const CA_NAME = "Altinn Onboarding Emulator Test CA";

function newRsaKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

function buildCertificate(opts: {
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  publicPem: string;
  signerKeyPem: string;
  years: number;
  ca: boolean;
}): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(opts.publicPem);
  // Positive serial: a leading 0x01 byte keeps the DER INTEGER non-negative.
  cert.serialNumber = "01" + randomBytes(15).toString("hex");
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setFullYear(notAfter.getFullYear() + opts.years);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(opts.subject);
  cert.setIssuer(opts.issuer);
  cert.setExtensions(
    opts.ca
      ? [
          { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
          { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [
          { name: "basicConstraints", cA: false },
          { name: "keyUsage", digitalSignature: true, critical: true },
        ],
  );
  // node-forge signs with RSA keys in its own format; convert through PEM (PKCS#1 is what it reads).
  const signer = forge.pki.privateKeyFromPem(createPrivateKey(opts.signerKeyPem).export({ type: "pkcs1", format: "pem" }).toString());
  cert.sign(signer, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, "\n");
}

const caSubject: forge.pki.CertificateField[] = [
  { name: "commonName", value: CA_NAME },
  { name: "organizationName", value: "Altinn Onboarding Emulator" },
  { name: "countryName", value: "NO" },
];

function newCa(): PkiFile["ca"] {
  const key = newRsaKey();
  const certificatePem = buildCertificate({
    subject: caSubject,
    issuer: caSubject,
    publicPem: key.publicPem,
    signerKeyPem: key.privatePem,
    years: 20,
    ca: true,
  });
  return { certificatePem, keyPem: key.privatePem };
}

function newOrgCertificate(ca: PkiFile["ca"], org: Organization): OrgCertificate {
  const key = newRsaKey();
  // Norwegian business certificates (SEID 1) carry the org number in the subject's serialNumber attribute.
  const subject: forge.pki.CertificateField[] = [
    { name: "commonName", value: org.name },
    { name: "organizationName", value: org.name },
    { name: "serialNumber", value: org.orgNumber },
    { name: "countryName", value: "NO" },
  ];
  const certificatePem = buildCertificate({
    subject,
    issuer: caSubject,
    publicPem: key.publicPem,
    signerKeyPem: ca.keyPem,
    years: 3,
    ca: false,
  });
  return { certificatePem, keyPem: key.privatePem };
}

export class Pki {
  private readonly file: string;
  private data: PkiFile;
  readonly caCertificate: X509Certificate;
  readonly signingKey: KeyObject;
  readonly signingPublicKey: KeyObject;

  constructor(stateDir: string) {
    this.file = join(stateDir, "pki.json");
    const existing = readJsonFile(this.file) as PkiFile | undefined;
    if (existing?.version === 1) {
      this.data = existing;
    } else {
      this.data = {
        version: 1,
        ca: newCa(),
        signing: { kid: `emulator-${randomBytes(6).toString("hex")}`, keyPem: newRsaKey().privatePem },
        orgs: {},
      };
      atomicWriteJson(this.file, this.data);
    }
    this.caCertificate = new X509Certificate(this.data.ca.certificatePem);
    this.signingKey = createPrivateKey(this.data.signing.keyPem);
    this.signingPublicKey = createPublicKey(this.signingKey);
  }

  get signingKid(): string {
    return this.data.signing.kid;
  }

  /** Issues certificates to organisations that have none yet (new in the seed) and persists them. */
  ensureOrgCertificates(orgs: readonly Organization[]): void {
    let changed = false;
    for (const org of orgs) {
      if (this.data.orgs[org.orgNumber]) continue;
      this.data.orgs[org.orgNumber] = newOrgCertificate(this.data.ca, org);
      changed = true;
    }
    if (changed) atomicWriteJson(this.file, this.data);
  }

  /** The org's certificate chain (leaf first, then the CA) and its private key, as PEM. */
  orgCredentials(orgNumber: string): { certificatePem: string; certificateKeyPem: string } | undefined {
    const c = this.data.orgs[orgNumber];
    if (!c) return undefined;
    return { certificatePem: c.certificatePem + this.data.ca.certificatePem, certificateKeyPem: c.keyPem };
  }
}

export type CertificateCheck =
  | { readonly ok: true; readonly orgNumber: string; readonly publicKey: KeyObject }
  | { readonly ok: false; readonly reason: "malformed" | "untrusted" | "expired" | "no-orgno" };

/** Checks an `x5c` header: the leaf (first entry) must be a currently valid certificate issued by the test CA. */
export function checkX5c(x5c: unknown, ca: X509Certificate, now = new Date()): CertificateCheck {
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === "string")) return { ok: false, reason: "malformed" };
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(Buffer.from(x5c[0] as string, "base64"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (leaf.ca || !leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return { ok: false, reason: "untrusted" };
  if (now < new Date(leaf.validFrom) || now > new Date(leaf.validTo)) return { ok: false, reason: "expired" };
  const serial = /^serialNumber=(\d{9})$/m.exec(leaf.subject);
  if (!serial) return { ok: false, reason: "no-orgno" };
  return { ok: true, orgNumber: serial[1] as string, publicKey: leaf.publicKey };
}

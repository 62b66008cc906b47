/**
 * Event types the onboarded services publish (their own code: `"no.altinn.<service>." + enum name in lower case`,
 * and Dialogporten's CloudEventTypes). A subscription to a type not listed here is allowed (a service may add
 * types), but a component warns about it: a misspelt type silently matches nothing.
 */
const broker = [
  "filetransferinitialized",
  "uploadprocessing",
  "published",
  "uploadfailed",
  "downloadconfirmed",
  "allconfirmeddownloaded",
  "filepurged",
  "fileneverconfirmeddownloaded",
].map((e) => `no.altinn.broker.${e}`);

const correspondence = [
  ...["initialized", "uploadprocessing", "published", "uploadfailed", "purged", "downloaded", "expired"].map((e) => `attachment${e}`),
  ...["initialized", "published", "archived", "purged", "publishfailed"].map((e) => `correspondence${e}`),
  ...["read", "confirmed", "replied", "neverconfirmed", "reserved", "neverread"].map((e) => `correspondencereceiver${e}`),
  "notificationcreated",
  ...["creationfailed", "failed", "allfailed", "delivered", "reminderdelivered"].map((e) => `correspondencenotification${e}`),
].map((e) => `no.altinn.correspondence.${e}`);

const dialogporten = [
  ...["created", "updated", "deleted", "restored", "seen"].map((e) => `dialogporten.dialog.${e}.v1`),
  "dialogporten.dialog.transmission.created.v1",
  ...[
    "created",
    "closed",
    "information",
    "transmission-opened",
    "payment-made",
    "signature-provided",
    "dialog-opened",
    "dialog-deleted",
    "dialog-restored",
    "sent-to-signing",
    "sent-to-form-fill",
    "sent-to-send-in",
    "sent-to-payment",
    "form-submitted",
    "form-saved",
    "correspondence-opened",
    "correspondence-confirmed",
  ].map((e) => `dialogporten.dialog.activity.${e}.v1`),
];

export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([...broker, ...correspondence, ...dialogporten]);

export function isKnownEventType(type: string): boolean {
  return KNOWN_EVENT_TYPES.has(type);
}

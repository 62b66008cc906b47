import { randomUUID } from "node:crypto";
import { type Reply } from "../core/router.js";

export interface FieldError {
  readonly field: string;
  readonly message: string;
  readonly objectName?: string;
}

/**
 * Digdir's self-service error body (spec §2): `errors[]` with field errors, and `error`/`error_description`
 * made of the messages, each preceded by ", " as in the observed responses.
 */
export function digdirError(status: number, messages: string | readonly string[], fieldErrors: readonly FieldError[] = []): Reply {
  const plain = typeof messages === "string" ? [messages] : [...messages];
  const errors = [
    ...plain.map((m) => ({ errorMessage: m, isFieldError: false })),
    ...fieldErrors.map((f) => ({
      errorMessage: f.message,
      isFieldError: true,
      objectName: f.objectName ?? "Client",
      fieldIdentifier: f.field,
    })),
  ];
  const joined = errors.map((e) => `, ${e.errorMessage}`).join("");
  return {
    status,
    body: { status, timestamp: new Date().toISOString(), correlation_id: randomUUID(), errors, error: joined, error_description: joined },
  };
}

export class DigdirFailure extends Error {
  constructor(readonly reply: Reply) {
    super("digdir failure");
  }
}

/** Throws a Digdir error reply; the module's wrapper turns it back into the response. */
export function refuse(status: number, messages: string | readonly string[], fieldErrors: readonly FieldError[] = []): never {
  throw new DigdirFailure(digdirError(status, messages, fieldErrors));
}

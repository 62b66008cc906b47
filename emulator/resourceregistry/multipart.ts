// A small multipart/form-data reader (RFC 7578) for the policy upload: the whole body is already in memory.

export interface FormPart {
  readonly name: string;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

/** The parts of a multipart body; undefined when the content type is not multipart/form-data or has no boundary. */
export function parseMultipart(contentType: string | undefined, body: Buffer): FormPart[] | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    if (body.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // The CRLF before the next delimiter belongs to the delimiter.
    let end = next;
    if (body.subarray(end - 2, end).toString() === "\r\n") end -= 2;
    const part = body.subarray(start, end);
    const sep = part.indexOf("\r\n\r\n");
    if (sep >= 0) {
      const headers = part.subarray(0, sep).toString("utf8").split("\r\n");
      const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? "";
      const type = headers.find((h) => /^content-type:/i.test(h));
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      if (name !== undefined)
        parts.push({ name, filename, contentType: type?.slice(type.indexOf(":") + 1).trim(), data: part.subarray(sep + 4) });
    }
    pos = next;
  }
  return parts;
}

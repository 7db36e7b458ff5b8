import { CoreError } from '@rosetta/core';

const bad = (problem: string): CoreError => new CoreError('VALIDATION', `Invalid multipart body: ${problem}`, { reason: 'bad_multipart', fields: [{ field: 'certificate', problem }] });

/**
 * One field of a multipart/form-data body (RFC 7578), as raw bytes: what HPE's DER certificate
 * upload sends. Only what that needs: the boundary from the Content-Type, the part whose
 * Content-Disposition names the field, its bytes up to the CRLF before the next boundary.
 */
export function multipartField(contentType: string, body: Buffer, field: string): Buffer {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m) throw bad('no boundary in Content-Type');
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('latin1');
      const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
      // The part's bytes end with the CRLF that precedes the next delimiter.
      if (name === field) return part.subarray(headerEnd + 4, part.length - 2);
    }
    at = next;
  }
  throw bad(`no part named ${field}`);
}

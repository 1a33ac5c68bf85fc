/** Reads a small JSON request body; anything else is the client's mistake (HTTP 400/413), never a crash. */
import type { IncomingMessage } from 'http';
import { HttpError } from './http-error';

const MAX_BODY_BYTES = 16 * 1024;

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `request body is not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** A required string field of a JSON body. */
export function stringField(body: Record<string, unknown>, name: string, maxLength = 200): string {
  const v = body[name];
  if (typeof v !== 'string' || v.trim() === '') throw new HttpError(400, `"${name}" must be a non-empty string`);
  if (v.length > maxLength) throw new HttpError(400, `"${name}" is longer than ${maxLength} characters`);
  return v.trim();
}

/** An optional string field of a JSON body ('' when absent). */
export function optionalStringField(body: Record<string, unknown>, name: string, maxLength = 200): string {
  return body[name] === undefined || body[name] === '' ? '' : stringField(body, name, maxLength);
}

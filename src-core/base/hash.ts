import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256 of some bytes or a UTF-8 string. */
export function sha256Hex(data: Uint8Array | string): string {
  // The one-shot crypto.hash (Node >= 20.12) costs about half of a createHash object per call,
  // which is most of the price for the short bodies the pager checks by the thousand.
  return oneShot === undefined
    ? createHash('sha256').update(data).digest('hex')
    : oneShot('sha256', data, 'hex');
}

const oneShot = (
  crypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: 'hex') => string }
).hash;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, or returns `undefined` when the bytes are not valid UTF-8 (binary bodies). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Encodes a string as UTF-8 bytes. */
export function encodeUtf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

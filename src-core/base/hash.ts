import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256 of some bytes or a UTF-8 string. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

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

// Reading block bodies as text: each body checked against its hash once per open store (a
// mismatch remembered), checked text cached in memory up to a bound. Owned by one Store.
import { Llm386Error, decodeUtf8, sha256Hex } from '../base/index';
import type { Database } from 'lmdb';
import { bodyText, type BlockRecord } from './block';

/** Characters of decoded body text kept in memory per open store. */
const TEXT_CACHE_CHARS = 64 * 1024 * 1024;

/** The bodies of one open store, read as text. */
export class BodyTexts {
  private readonly texts = new Map<string, string>();
  /** Body hashes checked against their bytes since this store was opened, and those that failed. */
  private readonly intact = new Set<string>();
  private readonly corrupt = new Set<string>();
  private textChars = 0;

  constructor(private readonly bodies: Database<Buffer, string>) {}

  /**
   * True when the body stored under `hash` still hashes to it (bytes flipped on disk make it
   * false; a missing body too). Each body is hashed once per open store: content-addressed bytes
   * never legitimately change under their hash. A mismatch is remembered ({@link BodyTexts.knownCorrupt}).
   */
  bodyIntact(hash: string): boolean {
    if (this.intact.has(hash)) return true;
    if (this.corrupt.has(hash)) return false;
    const fast = this.bodies.getBinaryFast(hash);
    if (fast === undefined) return false;
    return this.checked(hash, fast.subarray(0, fast.length));
  }

  /** True when this open store has found the body under `hash` not to match it (a Set lookup). */
  knownCorrupt(hash: string): boolean {
    return this.corrupt.has(hash);
  }

  private checked(hash: string, body: Uint8Array): boolean {
    const ok = sha256Hex(body) === hash;
    const set = ok ? this.intact : this.corrupt;
    if (set.size >= 1_000_000) set.clear();
    set.add(hash);
    return ok;
  }

  /**
   * The body as text for a prompt: as {@link BodyTexts.text}, but the bytes are checked against their
   * hash when first read (the text cache holds checked text only). A body that no longer matches
   * throws `store-corrupt` with `details.hash` and is remembered, so paging again leaves it out.
   */
  promptText(record: BlockRecord): string {
    return this.readText(record, true);
  }

  /** The body as text (binary bodies as a placeholder), or throws `block-not-found`. */
  text(record: BlockRecord): string {
    return this.readText(record, false);
  }

  private readText(record: BlockRecord, check: boolean): string {
    // Only checked text is cached; unchecked reads are decoded each time.
    const cached = this.texts.get(record.hash);
    if (cached !== undefined) return cached;
    // Decoded straight from lmdb's reused read buffer (valid until the next read) instead of a copy.
    // That buffer's `length` is set to the value's size over a larger allocation: view just those bytes.
    const fast = this.bodies.getBinaryFast(record.hash);
    if (fast === undefined)
      throw new Llm386Error(
        'store-corrupt',
        `body ${record.hash} is missing: run \`llm386 repair --yes\``,
      );
    const body = fast.subarray(0, fast.length);
    if (check && !this.intact.has(record.hash) && !this.checked(record.hash, body)) {
      throw new Llm386Error(
        'store-corrupt',
        `the stored bytes of block ${record.id} no longer match their hash: never sent to a model; run \`llm386 verify\``,
        {
          details: { id: record.id, hash: record.hash },
        },
      );
    }
    const text = bodyText(body, record.hash, decodeUtf8);
    if (this.intact.has(record.hash)) this.cacheText(record.hash, text);
    return text;
  }

  /**
   * Bodies are content-addressed and never change under a hash, so decoded text can be reused by
   * every later page and pack call. Bounded: cleared when it holds too many characters.
   */
  private cacheText(hash: string, text: string): void {
    if (this.textChars + text.length > TEXT_CACHE_CHARS) {
      this.texts.clear();
      this.textChars = 0;
    }
    if (text.length <= TEXT_CACHE_CHARS / 8) {
      this.texts.set(hash, text);
      this.textChars += text.length;
    }
  }
}

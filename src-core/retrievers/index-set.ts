import { decodeUtf8 } from '../base/index';
import type { BlockRecord, Store, StoreSlot } from '../store/index';
import { embedCached, type EmbedItem } from './embedding-cache';
import { embedderFromSpec, isTermEmbedder, type Embedder } from './embedders';
import { IndexFamily, type FamilyStats, type IndexOp } from './index-family';
import { TermDictionary, termIds } from './text-terms';
import { TextUnit } from './text-index';
import { VectorUnit } from './vector-index';

/**
 * Term numbers of bodies by hash, shared by the families of one index set: a batch of writes is
 * read and tokenised once for the text index and the feature-hashing embedder together.
 */
class BodyTerms {
  private readonly store: Store;
  readonly dictionary: TermDictionary;
  private readonly cache = new Map<string, Uint32Array | null>();

  constructor(store: Store, dictionary: TermDictionary) {
    this.store = store;
    this.dictionary = dictionary;
  }

  /** Forgets every cached body (their term numbers are stale after a dictionary compaction). */
  clear(): void {
    this.cache.clear();
  }

  /** The body's text, or undefined for binary or missing bodies. */
  text(hash: string): string | undefined {
    const body = this.store.getBody(hash);
    return body === undefined ? undefined : decodeUtf8(body);
  }

  /** The body's term numbers, or undefined for binary or missing bodies. */
  terms(hash: string): Uint32Array | undefined {
    let terms = this.cache.get(hash);
    if (terms === undefined) {
      const text = this.text(hash);
      terms = text === undefined ? null : termIds(text, this.dictionary);
      if (this.cache.size >= 8192) this.cache.clear();
      this.cache.set(hash, terms);
    }
    return terms ?? undefined;
  }
}

/** The per-session inverted indexes behind `bm25` and `lexical`. */
export class TextFamily extends IndexFamily<TextUnit> {
  private readonly bodies: BodyTerms;
  /** Terms the dictionary kept at its last compaction. */
  private termsKept = 0;
  /** Dictionaries with fewer terms than this (plus twice those kept last time) are left alone. */
  compactTermsFrom = 65_536;

  /** @internal */
  constructor(store: Store, bodies: BodyTerms) {
    super(store, 'text');
    this.bodies = bodies;
  }

  /**
   * @internal For bulk writers (after {@link IndexFamily.flush}): once the index set's dictionary
   * holds twice the terms the units in memory use (plus 65,536), drops the others. A bulk write
   * keeps meeting new terms (numbers, ids, hashes); without this the dictionary would grow with
   * everything written. Returns whether it compacted.
   */
  compactTerms(): Promise<boolean> {
    return this.exclusive(async () => {
      const dictionary = this.bodies.dictionary;
      const size = dictionary.terms.length;
      if (size < this.compactTermsFrom + 2 * this.termsKept) return false;
      const keep = new Uint8Array(size);
      for (const unit of this.loaded()) unit.markTerms(keep);
      const remap = dictionary.compact(keep);
      for (const unit of this.loaded()) unit.remapTerms(remap);
      this.bodies.clear();
      this.termsKept = dictionary.terms.length;
      return true;
    });
  }

  protected empty(): TextUnit {
    return new TextUnit(this.bodies.dictionary);
  }

  protected decode(blob: Uint8Array) {
    return TextUnit.decode(blob, this.bodies.dictionary);
  }

  protected slice(unit: TextUnit, lo: number, hi: number): TextUnit {
    return unit.slice(lo, hi);
  }

  protected merge(parts: readonly (TextUnit | Uint8Array)[]): TextUnit {
    return TextUnit.merge(parts, this.bodies.dictionary);
  }

  protected async apply(
    unit: TextUnit,
    session: string,
    ops: readonly IndexOp[],
    records: (id: string) => BlockRecord | undefined,
  ): Promise<void> {
    for (const op of ops) {
      if (op.op === 'remove') {
        unit.remove(op.id);
        continue;
      }
      if (unit.has(op.id)) continue;
      const record = records(op.id);
      // Apply against the store as it is now: a block since deleted or moved out is skipped,
      // and its later remove is a no-op.
      if (record === undefined || !record.sessions.includes(session)) continue;
      const terms = this.bodies.terms(record.hash);
      if (terms !== undefined) unit.add(op.id, terms);
    }
  }
}

/** The per-session embedding matrices behind `ann`, for one embedder. */
export class VectorFamily extends IndexFamily<VectorUnit> {
  readonly embedder: Embedder;
  private readonly bodies: BodyTerms;

  /** @internal */
  constructor(store: Store, embedder: Embedder, bodies: BodyTerms) {
    super(store, `ann:${embedder.id}`);
    this.embedder = embedder;
    this.bodies = bodies;
  }

  protected empty(): VectorUnit {
    // Dimensions of an HTTP embedder are known after its first call; `apply` replaces an empty
    // placeholder then.
    return new VectorUnit(Math.max(1, this.embedder.dimensions));
  }

  protected decode(blob: Uint8Array) {
    return VectorUnit.decode(blob);
  }

  protected slice(unit: VectorUnit, lo: number, hi: number): VectorUnit {
    return unit.slice(lo, hi);
  }

  protected merge(parts: readonly (VectorUnit | Uint8Array)[]): VectorUnit {
    return VectorUnit.merge(parts);
  }

  protected async apply(
    unit: VectorUnit,
    session: string,
    ops: readonly IndexOp[],
    records: (id: string) => BlockRecord | undefined,
  ): Promise<void> {
    // Fetch and embed every added body first (one batch, through the cache), then replay in order.
    const wanted = new Map<string, BlockRecord>();
    for (const op of ops) {
      if (op.op !== 'add' || unit.has(op.id) || wanted.has(op.id)) continue;
      const record = records(op.id);
      if (record !== undefined && record.sessions.includes(session)) wanted.set(op.id, record);
    }
    const vectors = new Map<string, Float32Array>();
    const embedder = this.embedder;
    if (isTermEmbedder(embedder)) {
      for (const record of wanted.values()) {
        if (vectors.has(record.hash)) continue;
        const terms = this.bodies.terms(record.hash);
        if (terms !== undefined)
          vectors.set(record.hash, embedder.termVector(terms, this.bodies.dictionary));
      }
    } else {
      const items: EmbedItem[] = [];
      for (const record of wanted.values()) {
        const text = this.bodies.text(record.hash);
        if (text !== undefined) items.push({ hash: record.hash, text });
      }
      if (items.length > 0)
        for (const [hash, v] of await embedCached(this.store, embedder, items))
          vectors.set(hash, v);
    }
    const first = vectors.values().next().value;
    if (first !== undefined && unit.slots === 0 && unit.dimensions !== first.length) {
      // An empty placeholder made before the dimensions were known: resize it.
      Object.assign(unit, new VectorUnit(first.length));
    }
    for (const op of ops) {
      if (op.op === 'remove') {
        unit.remove(op.id);
        continue;
      }
      const record = wanted.get(op.id);
      const vector = record === undefined ? undefined : vectors.get(record.hash);
      if (vector !== undefined) unit.add(op.id, vector);
    }
  }
}

/** The retriever indexes of an open store (see `StoreSlot`). */
const INDEX_SET: StoreSlot<IndexSet> = {
  name: 'index-set',
  create: (store) => new (IndexSet as unknown as new (s: Store) => IndexSet)(store),
};

/** Counters of every family, for tests and diagnostics. */
export type IndexStats = Readonly<Record<string, Readonly<FamilyStats>>>;

/**
 * The retriever indexes of one store instance: the text family (`bm25`, `lexical`) and one
 * vector family per embedder in use (`ann`). One per {@link Store} ({@link IndexSet.of}).
 *
 * Writers keep the indexes current and persisted: call {@link IndexSet.sync} after a batch of
 * writes and {@link IndexSet.save} at the end (or {@link IndexSet.checkpoint} after small writes).
 * Readers need nothing: retrievers sync their pool's sessions on every call, which loads the
 * persisted snapshot once and then applies only the changes since.
 *
 * Vector families persisted in the store whose embedder can be rebuilt from its id (`hash-<n>`)
 * are registered automatically, so a writer keeps them current without knowing the config.
 */
export class IndexSet {
  readonly store: Store;
  readonly text: TextFamily;
  /** The dictionary the text units' term numbers are of: tokenise tasks with it. */
  readonly terms = new TermDictionary();
  private readonly vectorFamilies = new Map<string, VectorFamily>();
  private readonly bodies: BodyTerms;

  private constructor(store: Store) {
    this.store = store;
    this.bodies = new BodyTerms(store, this.terms);
    this.text = new TextFamily(store, this.bodies);
    for (const key of store.indexTables.manifestNames('family:ann:')) {
      const id = key.slice('family:ann:'.length);
      if (/^hash-\d+$/.test(id)) this.vectors(embedderFromSpec(id));
    }
  }

  /** The index set of a store instance (created on first use). */
  static of(store: Store): IndexSet {
    return store.slot(INDEX_SET);
  }

  /** The vector family of an embedder, registering it on first use. */
  vectors(embedder: Embedder): VectorFamily {
    let family = this.vectorFamilies.get(embedder.id);
    if (family === undefined) {
      family = new VectorFamily(this.store, embedder, this.bodies);
      this.vectorFamilies.set(embedder.id, family);
    }
    return family;
  }

  /** Every registered family: text first, then vector families by embedder id. */
  families(): IndexFamily<TextUnit | VectorUnit>[] {
    return [
      this.text,
      ...[...this.vectorFamilies.keys()]
        .sort()
        .map((id) => this.vectorFamilies.get(id) as VectorFamily),
    ];
  }

  /** Applies new changes to every family (all sessions with changes, or just these). */
  async sync(sessions?: readonly string[]): Promise<void> {
    for (const family of this.families()) await family.sync(sessions);
  }

  /**
   * For bulk writers that do not query: applies new changes, saves segments as they fill and drops
   * them from memory (see {@link IndexFamily.flush}). Call it after each batch of writes, and
   * {@link IndexSet.save} at the end.
   */
  async flush(): Promise<void> {
    for (const family of this.families()) await family.flush();
    await this.text.compactTerms();
  }

  /** Persists every family's changed units; true when all were saved (see {@link IndexFamily.save}). */
  async save(): Promise<boolean> {
    let all = true;
    for (const family of this.families()) all = (await family.save()) && all;
    return all;
  }

  /**
   * Saves when a family has no snapshot yet or at least `maxUnsaved` changes since its snapshot;
   * otherwise does nothing (two small reads). For writers of a few blocks at a time (`put`,
   * `delete`, `purge`): bounds the log tail every reader has to apply. Returns whether it saved.
   */
  async checkpoint(maxUnsaved = 1000): Promise<boolean> {
    if (this.store.readOnly) return false;
    let saved = false;
    for (const family of this.families()) {
      if (family.hasSnapshot() && family.unsavedChanges() < maxUnsaved) continue;
      saved = (await family.save()) || saved;
    }
    return saved;
  }

  /** Counters per family. */
  stats(): IndexStats {
    return Object.fromEntries(this.families().map((f) => [f.name, { ...f.stats }]));
  }
}

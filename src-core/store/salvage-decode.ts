// Decodes values read from raw pages the way lmdb-js decodes them from a store. Records of
// `blocks` and `session-blocks` are msgpack with shared structures: a record names its field
// list by number, and the lists live in the same table under a symbol key. Rather than copy
// lmdb-js's msgpack setup, the values go through lmdb-js itself: a scratch environment in a
// temporary folder holds one table per structures entry (opened as the store opens its tables),
// each value is written there as raw bytes and read back decoded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asBinary, open, type Database, type RootDatabase } from 'lmdb';

const STRUCTURES = Symbol.for('structures') as unknown as string;
/** Tables of the scratch environment: one per distinct structures entry, plus one without. */
const MAX_TABLES = 30;

/** Decodes msgpack values as lmdb-js does; {@link ValueDecoder.close} removes its scratch folder. */
export class ValueDecoder {
  private readonly dir: string;
  private readonly root: RootDatabase;
  private readonly plain: Database<unknown, string>;
  private readonly shared = new Map<string, Database<unknown, string>>();

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'llm386-salvage-'));
    try {
      this.root = open({
        path: join(this.dir, 'decode.mdb'),
        maxDbs: MAX_TABLES + 2,
        compression: false,
        noSync: true,
      });
      this.plain = this.root.openDB({ name: 'plain' });
    } catch (error) {
      rmSync(this.dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Decodes values of a table without shared structures (`changes`); undefined where one does not decode. */
  plainValues(raws: readonly Buffer[]): unknown[] {
    return this.decode(this.plain, raws);
  }

  /**
   * Decodes values written with shared structures, given the raw bytes of the table's structures
   * entry; undefined where one does not decode (garbage, or structures that lack its record).
   */
  sharedValues(structures: Buffer, raws: readonly Buffer[]): unknown[] {
    const id = structures.toString('base64');
    let db = this.shared.get(id);
    if (db === undefined) {
      if (this.shared.size >= MAX_TABLES) return raws.map(() => undefined);
      db = this.root.openDB<unknown, string>({
        name: `shared-${this.shared.size}`,
        sharedStructuresKey: Symbol.for('structures'),
      });
      const table = db;
      this.root.transactionSync(() => table.putSync(STRUCTURES, asBinary(structures)));
      this.shared.set(id, db);
    }
    return this.decode(db, raws);
  }

  private decode(db: Database<unknown, string>, raws: readonly Buffer[]): unknown[] {
    return this.root.transactionSync(() =>
      raws.map((raw) => {
        try {
          db.putSync('value', asBinary(raw));
          return db.get('value');
        } catch {
          return undefined;
        }
      }),
    );
  }

  async close(): Promise<void> {
    try {
      await this.root.close();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

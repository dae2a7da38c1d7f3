// A store's id: short, stable across runs, and no path in the page's URL. Deep links carry it
// (`?store=ID`); `stores.open` takes it and main maps it back to a store it knows.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { STORE_ID_LENGTH } from '../contract/contract-stores';

/** The first 16 hex digits of the SHA-256 of the store's absolute path. */
export function storeId(dir: string): string {
  return createHash('sha256').update(resolve(dir)).digest('hex').slice(0, STORE_ID_LENGTH);
}

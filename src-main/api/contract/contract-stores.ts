// Contract methods for switching stores: the stores this inspector may show (the one it opened,
// stores made from turn bundles, recent ones), each named by an id, never by a path the page
// could choose. Merged into API_INPUTS and ApiOutputs by ./index.ts; the handlers live in
// ../handlers/handlers-stores.ts.
import { z } from 'zod';
import { empty } from './contract-atoms';

/** Hex digits of a store id (see src-main/api/handlers/store-id.ts). */
export const STORE_ID_LENGTH = 16;

/** A store id: the first 16 hex digits of the SHA-256 of the store's absolute path. */
export const storeIdSchema = z
  .string()
  .regex(new RegExp(`^[0-9a-f]{${STORE_ID_LENGTH}}$`), 'a store id is 16 hex digits');

/** One zod schema per method of this feature. */
export const STORES_INPUTS = {
  /** The open store and the others the inspector may switch to. */
  'stores.list': empty,
  /**
   * Switches the inspector to one of `stores.list`'s stores once this call has answered; the
   * page sees the new store in `store.changes`. The id of the open store is a no-op.
   */
  'stores.open': z.strictObject({ id: storeIdSchema }),
} as const;

/** How the inspector came to know a store. */
export type StoreOrigin = 'opened' | 'bundle' | 'recent';

export interface StoreRef {
  readonly id: string;
  /** The folder's name, for menus. */
  readonly name: string;
  /** The absolute path, for a tooltip. */
  readonly path: string;
  readonly origin: StoreOrigin;
}

export interface StoresView {
  /** The id of the store the inspector shows (after `stores.open`: the one it switches to). */
  readonly current: string;
  /** The open store first, then the others. */
  readonly stores: readonly StoreRef[];
}

/** The result type of each method of this feature. */
export interface StoresOutputs {
  'stores.list': StoresView;
  'stores.open': StoresView;
}

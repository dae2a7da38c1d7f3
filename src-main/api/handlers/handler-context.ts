// What the API's handler modules run against and return: shared by the feature modules
// (handlers-*.ts) and the map that merges them (index.ts), which imports them; kept here so no
// feature module imports that map back.
import type { BlockQuery } from './block-query';
import type { ApiMethod, ApiOutput, ApiParsedInput } from '../contract';
import type { Config, Store } from '../../runtime';
import type { StoreChoices } from './store-choices';

/**
 * What main lends the handlers beyond the store: where imported bundles become stores, and how to
 * switch the open store to one of them. Without it, `bundle.import` fails with `invalid-input`.
 */
export interface InspectorHost {
  /** A folder main owns; each import makes a new store in a fresh folder under it. */
  readonly bundlesDir: string;
  /** Switches the inspector to the store in `dir` once the current call has answered. */
  readonly openStore?: ((dir: string) => void) | undefined;
  /** The stores the page may switch to (`stores.list`, `stores.open`); without it, only the open one. */
  readonly stores?: StoreChoices | undefined;
}

/** What the handlers run against. */
export interface ApiContext {
  readonly store: Store;
  readonly config: Config;
  /** Folders and store switching lent by main (bundle import); absent in tests that need none. */
  readonly host?: InspectorHost | undefined;
}

/** What a feature's handler module runs against: the store, the config and the shared block reader. */
export interface FeatureContext extends ApiContext {
  readonly blocks: BlockQuery;
}

/** Implementations of some methods: what each feature's handler module returns. */
export type ImplementationsOf<M extends ApiMethod> = {
  readonly [K in M]: (input: ApiParsedInput<K>) => Promise<ApiOutput<K>> | ApiOutput<K>;
};

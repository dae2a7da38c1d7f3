// The open store in the header: its folder name, and, once the inspector knows more than one store
// (a bundle opened, recent stores), a menu to switch between them. Switching names the store in the
// URL (a new history entry, so Back returns); the app then asks main to open it (`stores.open`).
import type { StoreRef } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { useQuery } from '../lib/use-query';
import './store-picker.css';

const ORIGIN: Readonly<Record<StoreRef['origin'], string>> = {
  opened: '',
  bundle: ' (bundle)',
  recent: ' (recent)',
};

/** The last part of a store's path: its folder name. */
export function storeName(path: string): string {
  return (
    path
      .split(/[\\/]/)
      .filter((part) => part !== '')
      .pop() ?? path
  );
}

/**
 * Each store's menu label: its folder name, or where two stores share one (`a/store`,
 * `b/store`), as many of the last parts of the path as tell them apart.
 */
export function storeLabels(stores: readonly Pick<StoreRef, 'id' | 'path'>[]): Map<string, string> {
  const parts = new Map(
    stores.map((s) => [s.id, s.path.split(/[\\/]/).filter((part) => part !== '')]),
  );
  const tail = (id: string, n: number) => (parts.get(id) ?? []).slice(-n).join('/');
  const labels = new Map<string, string>();
  for (const { id, path } of stores) {
    const depth = parts.get(id)?.length ?? 1;
    let n = 1;
    while (
      n < depth &&
      stores.some((other) => other.id !== id && tail(other.id, n) === tail(id, n))
    )
      n++;
    labels.set(id, tail(id, n) || path);
  }
  return labels;
}

export function StorePicker({
  current,
  path,
  onPick,
}: {
  current: string;
  path: string;
  onPick: (id: string) => void;
}) {
  const call = useApi();
  // Keyed by the open store: a bundle opened (a new store) or a switch lists them again.
  const stores = useQuery(`stores.list:${current}`, () => call('stores.list', {}), 'stores.list');
  const list = stores.data?.stores ?? [];
  const labels = storeLabels(list);
  if (list.length <= 1 || !list.some((s) => s.id === current)) {
    return (
      <span className="store-path" title={path}>
        {storeName(path)}
      </span>
    );
  }
  return (
    <select
      className="store-picker"
      aria-label="Store"
      title={path}
      value={current}
      onChange={(e) => onPick(e.target.value)}
    >
      {list.map((s) => (
        <option key={s.id} value={s.id} title={s.path}>
          {labels.get(s.id) ?? s.name}
          {ORIGIN[s.origin]}
        </option>
      ))}
    </select>
  );
}

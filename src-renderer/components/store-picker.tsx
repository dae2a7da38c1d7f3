// The open store in the header: its folder name, and, once the inspector knows more than one store
// (a bundle opened, recent stores), a menu to switch between them. Switching names the store in the
// URL (a new history entry, so Back returns); the app then asks main to open it (`stores.open`).
import type { StoreRef } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { useQuery } from '../lib/use-query';

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
          {s.name}
          {ORIGIN[s.origin]}
        </option>
      ))}
    </select>
  );
}

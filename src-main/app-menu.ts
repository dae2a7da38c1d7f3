import type { MenuItemConstructorOptions } from 'electron';

/** What the File menu can do besides the platform roles. */
export interface MenuActions {
  /** File > Open Store…: pick a store folder. */
  readonly openStore?: (() => void) | undefined;
  /** File > Open Recent: recently opened store folders, newest first. */
  readonly recentStores?: readonly string[] | undefined;
  readonly openRecent?: ((path: string) => void) | undefined;
}

/**
 * The application menu: a File menu (open a store, recent stores, close/quit) plus the platform's
 * standard Edit, View and Window menus (copy and paste need the Edit roles on macOS).
 */
export function createMenuTemplate(
  platform: NodeJS.Platform,
  actions: MenuActions = {},
): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const storeItems: MenuItemConstructorOptions[] = [];
  if (actions.openStore !== undefined) {
    const openStore = actions.openStore;
    storeItems.push({ label: 'Open Store…', accelerator: 'CmdOrCtrl+O', click: () => openStore() });
  }
  if (actions.openRecent !== undefined) {
    const openRecent = actions.openRecent;
    const recent = actions.recentStores ?? [];
    storeItems.push({
      label: 'Open Recent',
      enabled: recent.length > 0,
      submenu: recent.map((path) => ({ label: path, click: () => openRecent(path) })),
    });
  }
  if (storeItems.length > 0) storeItems.push({ type: 'separator' });
  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: isMac
      ? [...storeItems, { role: 'close' }]
      : [...storeItems, { role: 'close' }, { type: 'separator' }, { role: 'quit' }],
  };
  return [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    fileMenu,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
}

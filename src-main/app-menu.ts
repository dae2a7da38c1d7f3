import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. Minimal for now: a File menu plus the platform's standard Edit, View and
 * Window menus (copy and paste need the Edit roles on macOS). Opening stores arrives with the
 * store views.
 */
export function createMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: isMac ? [{ role: 'close' }] : [{ role: 'close' }, { type: 'separator' }, { role: 'quit' }],
  };
  return [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    fileMenu,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
}

import { describe, expect, it } from 'vitest';
import { createMenuTemplate } from './app-menu';

describe('createMenuTemplate', () => {
  it('starts with a File menu that can quit on Linux and Windows', () => {
    const [file] = createMenuTemplate('linux');
    expect(file?.label).toBe('File');
    expect(file?.submenu).toContainEqual({ role: 'quit' });
  });

  it('puts the app menu first on macOS, where it holds Quit', () => {
    const [appMenu, file] = createMenuTemplate('darwin');
    expect(appMenu).toEqual({ role: 'appMenu' });
    expect(file?.label).toBe('File');
    expect(file?.submenu).not.toContainEqual({ role: 'quit' });
  });
});

describe('createMenuTemplate with store actions', () => {
  it('offers Open Store… and the recent stores, which call back with the path', () => {
    const opened: string[] = [];
    let picked = 0;
    const [file] = createMenuTemplate('linux', {
      openStore: () => picked++,
      recentStores: ['/stores/a', '/stores/b'],
      openRecent: (path) => opened.push(path),
    });
    const items = file?.submenu as {
      label?: string;
      click?: () => void;
      submenu?: { label: string; click: () => void }[];
    }[];
    items.find((i) => i.label === 'Open Store…')?.click?.();
    const recent = items.find((i) => i.label === 'Open Recent')?.submenu ?? [];
    expect(recent.map((r) => r.label)).toEqual(['/stores/a', '/stores/b']);
    recent[1]?.click();
    expect(picked).toBe(1);
    expect(opened).toEqual(['/stores/b']);
  });
});

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

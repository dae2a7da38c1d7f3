// Keyboard conventions: j/k and arrows move in lists, `/` focuses search, Esc backs out, `?` opens
// the key sheet. Keys typed into a text field stay there (except Esc, which leaves the field).
import { useEffect, useRef } from 'react';

/** True when the event comes from a place where typing means text. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type);
  return false;
}

/**
 * Esc in a search field leaves the field and keeps its text. A browser's own Esc in an
 * `<input type="search">` wipes it (and with it the filter or search the view keeps in the URL);
 * this prevents that. True when it handled the key.
 */
export function leaveSearchOnEscape(event: KeyboardEvent): boolean {
  const target = event.target;
  if (event.key !== 'Escape' || !(target instanceof HTMLInputElement) || target.type !== 'search')
    return false;
  event.preventDefault();
  target.blur();
  return true;
}

/**
 * Calls `handler` for document key presses outside text fields (Esc always, except in a search
 * field, which Esc only leaves), until unmounted.
 */
export function useKeys(handler: (event: KeyboardEvent) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (leaveSearchOnEscape(event)) return;
      if (event.key !== 'Escape' && isTyping(event.target)) return;
      ref.current(event);
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}

/** The move a list key asks for: +1, -1, or undefined for any other key. */
export function listStep(key: string): 1 | -1 | undefined {
  if (key === 'j' || key === 'ArrowDown') return 1;
  if (key === 'k' || key === 'ArrowUp') return -1;
  return undefined;
}

/** Every key the app answers to, for the key sheet. */
export const KEY_SHEET: readonly (readonly [keys: string, what: string])[] = [
  ['j / ↓', 'next row in a list'],
  ['k / ↑', 'previous row in a list'],
  ['/', 'focus the search or filter field'],
  ['Esc', 'leave a field (a search keeps its text), close the key sheet, clear the selection'],
  ['Enter', 'open the selected session (Store view) or turn (Turns view)'],
  ['1 / 2 / 3 / 4', 'Store, Blocks, Turns, Page view'],
  ['f', 'fit the whole graph in view (Graph view; Enter opens the block at the cursor)'],
  ['?', 'show this key sheet'],
];

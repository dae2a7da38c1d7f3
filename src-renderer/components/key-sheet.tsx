import { useEffect, useRef } from 'react';
import { KEY_SHEET } from '../lib/keys';
import './key-sheet.css';

/** The `?` key sheet: a modal dialog listing every key. */
export function KeySheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="key-sheet"
      aria-labelledby="key-sheet-title"
      onClose={onClose}
      onCancel={onClose}
    >
      <h2 id="key-sheet-title">Keyboard</h2>
      <table>
        <tbody>
          {KEY_SHEET.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}

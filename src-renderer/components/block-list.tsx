// A session's blocks as a virtualised list (only the rows on screen are in the DOM), reading its
// rows from a BlockWindow (lib/use-block-window.ts) page by page as they scroll into view. The
// same rows as the Blocks view's list: kind, preview, time, size, and an optional mark per row.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';
import type { BlockSummary } from '../../src-main/api/contract';
import { formatBytes, formatTime } from '../lib/format';
import type { BlockWindow } from '../lib/use-block-window';
import { KindBadge } from './kind-badge';
import './block-list.css';

const ROW_HEIGHT = 30;

export interface BlockListProps {
  readonly list: BlockWindow;
  /** The selected block's id (highlighted). */
  readonly selected: string | undefined;
  /** The keyboard cursor's row: scrolled into view when it moves. */
  readonly cursor: number | undefined;
  readonly onPick: (index: number) => void;
  readonly label: string;
  /** Extra content at the end of a row (a mark). */
  readonly mark?: ((row: BlockSummary) => ReactNode) | undefined;
}

export function BlockList({ list, selected, cursor, onPick, label, mark }: BlockListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = list.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    list.ensure(first, last);
  }, [first, last, list.ensure]);
  useEffect(() => {
    if (cursor !== undefined) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, virtualizer]);

  return (
    <div
      ref={scrollRef}
      className="virtual-scroll"
      role="listbox"
      aria-label={label}
      aria-activedescendant={selected === undefined ? undefined : `block-${selected}`}
      tabIndex={0}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = list.row(item.index);
          const isSelected = row !== undefined && row.id === selected;
          return (
            <div
              key={item.key}
              id={row === undefined ? undefined : `block-${row.id}`}
              role="option"
              aria-selected={isSelected}
              className={`block-row${isSelected ? ' selected' : ''}`}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${item.start}px)`,
              }}
              onClick={() => onPick(item.index)}
            >
              {row === undefined ? (
                <span className="muted">…</span>
              ) : (
                <>
                  <span className="badge-slot">
                    <KindBadge kind={row.kind} section={row.section} />
                  </span>
                  <span className="row-preview">
                    {row.preview || <span className="muted">(empty)</span>}
                  </span>
                  {mark?.(row)}
                  <span className="row-meta mono">{formatTime(row.createdAt).slice(5)}</span>
                  <span className="row-meta">{formatBytes(row.size)}</span>
                </>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

import { describe, expect, it } from 'vitest';
import { repairStore, verifyStore } from './check';
import { useTempStores } from './test-helpers';

const fresh = useTempStores();

describe('a record read by id names its sessions', () => {
  it('a one-session block names the session it was written into; API records carry no `home`', () => {
    const { store } = fresh();
    const { block } = store.put({ session: 'chat', kind: 'user-message', body: 'hello' });
    const record = store.getRecord(block.id);
    expect(record?.sessions).toEqual(['chat']);
    expect(record).not.toHaveProperty('home');
    expect(store.list('chat')[0]).not.toHaveProperty('home');
    expect(block).not.toHaveProperty('home');
  });

  it('a fact deduplicated into a second session names both, and keeps them after a purge', () => {
    const { store } = fresh();
    const { block } = store.put({ session: 'a', kind: 'fact', body: 'the sky is blue' });
    store.put({ session: 'b', kind: 'fact', body: 'the sky is blue' });
    expect(store.getRecord(block.id)?.sessions).toEqual(['a', 'b']);
    store.purgeSession('a');
    expect(store.getRecord(block.id)?.sessions).toEqual(['b']);
    expect(store.getRecord(block.id)?.sessions).toEqual(store.sessionsOf(block.id));
  });

  it('verify reports a `home` that is not the block’s session, and repair mends it', () => {
    const { store } = fresh();
    const { block } = store.put({ session: 'chat', kind: 'user-message', body: 'hello' });
    const raw = store.db.blocks.get(block.id);
    store.db.blocks.putSync(block.id, { ...raw!, home: 'elsewhere' });
    expect(store.getRecord(block.id)?.sessions).toEqual(['elsewhere']);
    const report = verifyStore(store);
    expect(report.problems.map((p) => p.kind)).toContain('stale-index');
    repairStore(store);
    expect(verifyStore(store).problems).toEqual([]);
    expect(store.getRecord(block.id)?.sessions).toEqual(['chat']);
  });
});

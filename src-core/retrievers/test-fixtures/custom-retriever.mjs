// A custom retriever for tests: scores every block it can see (even outside the pool, to prove the
// loader filters) by `options.base` plus its position, with one junk entry.
export function createRetriever(options) {
  return {
    name: 'echo',
    async retrieve(query, { store, catalog }) {
      catalog.sync();
      const out = [];
      for (const { session } of store.sessions()) {
        catalog.ids([session]).forEach((id, i) => out.push({ id, score: options.base + i }));
      }
      out.push({ id: 'not-an-id', score: 5 }, { id: out[0]?.id, score: Number.NaN });
      return out;
    },
  };
}

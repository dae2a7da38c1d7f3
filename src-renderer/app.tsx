/** The inspector's root component. A placeholder page until the store views arrive. */
export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>LLM386 Inspector</h1>
        <span className="tagline">what the model saw, and why</span>
      </header>
      <main className="empty-state">
        <h2>No store open yet</h2>
        <p>This build is a placeholder window: the store, turn and compare views come next.</p>
      </main>
    </div>
  );
}

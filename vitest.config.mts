import { defineConfig } from 'vitest/config';

// Three suites, each its own project so `scripts/test.mjs` can report them separately:
// unit (beside the code), cli (through the real built binary), lint-rules (layer rules of the house style).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'src-core/**/*.test.ts',
            'src-main/**/*.test.ts',
            'src-renderer/**/*.test.{ts,tsx}',
            'examples/agent/**/*.test.ts',
            'examples/langgraph-agent/**/*.test.ts',
          ],
          exclude: ['src-core/cli/**/*.test.ts', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'cli',
          include: ['src-core/cli/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'lint-rules',
          include: ['scripts/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
    ],
  },
});

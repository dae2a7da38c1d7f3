// Preloaded into the inspector server by bench/inspector.bench.ts (`node --require`): watches the
// main thread's event loop (the thread that reads requests and serves files) and, on SIGUSR2,
// writes the worst stall since the previous SIGUSR2 to $LLM386_LOOP_STATS as one JSON line, then
// starts over. Two measures: perf_hooks' event loop delay histogram (max) and how late a 10 ms
// interval timer fired at worst.
const { isMainThread } = require('node:worker_threads');
const { appendFileSync } = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const file = process.env.LLM386_LOOP_STATS;
if (isMainThread && file) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const PERIOD = 10;
  let last = performance.now();
  let worstLate = 0;
  setInterval(() => {
    const now = performance.now();
    worstLate = Math.max(worstLate, now - last - PERIOD);
    last = now;
  }, PERIOD).unref();
  process.on('SIGUSR2', () => {
    appendFileSync(
      file,
      `${JSON.stringify({ delayMaxMs: histogram.max / 1e6, timerLateMaxMs: worstLate })}\n`,
    );
    histogram.reset();
    worstLate = 0;
  });
}

// Preloaded into each app by bench/e2e-step.mjs (NODE_OPTIONS=--import): the event-loop delay of the last 5 s,
// every 5 s, to stderr (the app's log file), so a step's latency can be set against the app's own stalls.
import { monitorEventLoopDelay } from 'node:perf_hooks';
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
setInterval(() => {
  process.stderr.write(
    `ELD ${process.argv[1]?.split('/').at(-3)} p50=${(h.percentile(50) / 1e6).toFixed(1)} p99=${(h.percentile(99) / 1e6).toFixed(1)} max=${(h.max / 1e6).toFixed(1)} ms\n`,
  );
  h.reset();
}, 5000).unref();

// Simulator throughput: requests per second at zero latency, measured with a concurrent
// keep-alive client against `masa sim` running in its own process (target >= 5,000 rps).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { BENCHMARKS } from '../../src/bench/registry.js';
import { loadItems } from '../../src/bench/data.js';
import type { BenchSection } from '../bench.js';

interface Body {
  label: string;
  /** Request bodies sent in turn (every sample item, so right, wrong and runaway answers mix). */
  json: string[];
}

async function bodies(): Promise<Body[]> {
  const out: Body[] = [];
  for (const id of ['math500', 'humaneval', 'mmlu-pro', 'gpqa-diamond', 'tombench', 'emobench', 'coordinationqa']) {
    const bench = BENCHMARKS.find((b) => b.id === id);
    if (!bench) continue;
    const options = { ...(bench.defaultOptions as Record<string, unknown>) };
    let items;
    try {
      items = (await loadItems(bench, options)).items;
    } catch {
      continue; // no items for it yet (e.g. samples not written)
    }
    const json = items.flatMap((item) =>
      bench.trials(item, options).map((trial) =>
        JSON.stringify({ model: 'sim/qwen2.5-7b-instruct', messages: bench.messages(item, trial, options), temperature: 0, max_tokens: 2048 }),
      ),
    );
    if (json.length > 0) out.push({ label: `${id} items`, json });
  }
  out.push({ label: 'unrecognised prompt', json: [JSON.stringify({ model: 'sim/qwen2.5-7b-instruct', messages: [{ role: 'user', content: 'Say hello.' }], temperature: 0, max_tokens: 256 })] });
  return out;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

function startServer(): Promise<{ origin: string; pid: number; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/masa.mjs', 'sim', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`masa sim did not start: ${out}`));
    }, 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)\/v1/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: m[1]!, pid: child.pid!, stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`masa sim exited (${code}): ${out}`));
    });
  });
}

async function load(origin: string, bodies: readonly string[], concurrency: number, seconds: number): Promise<{ rps: number; errors: number; p50: number; p99: number; done: number }> {
  const url = new URL(`${origin}/v1/chat/completions`);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const payloads = bodies.map((b) => Buffer.from(b));
  let next = 0;
  const end = Date.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  const lat: number[] = [];
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const payload = payloads[next++ % payloads.length]!;
      const t0 = performance.now();
      const req = request(
        { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length } },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            if (res.statusCode !== 200) errors++;
            lat.push(performance.now() - t0);
            done++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(payload);
    });
  const worker = async (): Promise<void> => {
    while (Date.now() < end) await one();
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - t0) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  return { done, rps: done / secs, errors, p50: lat[Math.floor(lat.length * 0.5)] ?? 0, p99: lat[Math.floor(lat.length * 0.99)] ?? 0 };
}

export const section: BenchSection = {
  name: 'sim',
  title: 'masa sim: requests per second at zero latency (keep-alive client, 64 concurrent; target >= 5,000)',
  async run() {
    const server = await startServer();
    try {
      for (const b of await bodies()) {
        await load(server.origin, b.json, 16, 1); // warm-up (JIT)
        const cpu0 = cpuSeconds(server.pid);
        const r = await load(server.origin, b.json, 64, 3);
        const cpu1 = cpuSeconds(server.pid);
        // The client shares the 2 cores with the server (and whatever else runs), so the
        // measured rate is a floor; requests per server CPU-second is the server's own capacity.
        const capacity = cpu0 !== null && cpu1 !== null && cpu1 > cpu0 ? r.done / (cpu1 - cpu0) : null;
        const best = Math.max(r.rps, capacity ?? 0);
        process.stdout.write(
          `${b.label.padEnd(22)} ${r.rps.toFixed(0).padStart(6)} req/s measured  ` +
            `${capacity === null ? '   n/a' : capacity.toFixed(0).padStart(6)} req per server CPU-s  ` +
            `p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}  ${best >= 5000 ? 'ok' : 'BELOW TARGET'}\n`,
        );
      }
    } finally {
      server.stop();
    }
  },
};

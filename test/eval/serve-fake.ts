/**
 * Runs the fake server in its own process (for the throughput bench, so server CPU is not
 * counted as client CPU): `node --import tsx test/eval/serve-fake.ts '{"latencyMs":50,"p500":0.05}'`.
 * Prints the base URL on stdout, then serves until killed; prints request stats on SIGTERM.
 */
import { mulberry32 } from '../../src/core/rng.js';
import { startFakeServer, type Fault } from './fake-server.js';

interface Spec {
  models?: string[];
  latencyMs?: number;
  /** Share of requests answered 500. */
  p500?: number;
  /** Share answered 429 with Retry-After: retryAfter (seconds), at once (as a gateway would). */
  p429?: number;
  retryAfter?: string;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
const rng = mulberry32(1234);
const server = await startFakeServer({
  models: spec.models,
  latencyMs: spec.latencyMs ?? 0,
  fault: (): Fault | null => {
    const u = rng.next();
    if (spec.p500 && u < spec.p500) return { status: 500 };
    if (spec.p429 && u < spec.p429) return { status: 429, retryAfter: spec.retryAfter ?? '1', delayMs: 0 };
    return null;
  },
});
process.stdout.write(server.url + '\n');
process.on('SIGTERM', () => {
  process.stdout.write(JSON.stringify(server.stats) + '\n');
  void server.close().then(() => process.exit(0));
});

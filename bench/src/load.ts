/**
 * The load generator: wrk where it is installed (C, one thread, so it leaves the most CPU to the
 * server on a small machine), else autocannon from this package's dependencies. Both send the same
 * requests over a fixed number of keep-alive connections for a fixed time.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import autocannon from 'autocannon';
import { run, runOk } from './util.js';

export interface LoadRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LoadResult {
  readonly requests: number;
  readonly rps: number;
  /** Latency percentiles in milliseconds. */
  readonly p50: number;
  readonly p99: number;
  /** Socket errors, timeouts and responses outside 2xx. */
  readonly errors: number;
}

export interface LoadGenerator {
  readonly name: string;
  load(request: LoadRequest, connections: number, seconds: number): Promise<LoadResult>;
}

export async function loadGenerator(scratchDir: string): Promise<LoadGenerator> {
  const wrk = await run('wrk', ['--version'], { cwd: scratchDir }).catch(() => null);
  // `wrk --version` prints its banner and exits 1; a missing binary rejects.
  const banner = /^wrk (\S+)/m.exec(`${wrk?.stdout ?? ''}${wrk?.stderr ?? ''}`);
  if (banner !== null) {
    const version = banner[1] ?? '';
    return wrkGenerator(scratchDir, version);
  }
  return {
    name: `autocannon ${autocannonVersion()}`,
    async load(request, connections, seconds) {
      const result = await autocannon({
        url: request.url,
        method: request.method,
        connections,
        duration: seconds,
        ...(request.body === undefined ? {} : { body: request.body }),
        headers: { ...request.headers },
      });
      return {
        requests: result.requests.total,
        rps: result.requests.total / seconds,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts + result.non2xx,
      };
    },
  };
}

function autocannonVersion(): string {
  const manifest = createRequire(import.meta.url).resolve('autocannon/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function wrkGenerator(scratchDir: string, version: string): LoadGenerator {
  let scripts = 0;
  return {
    name: `wrk ${version}`,
    async load(request, connections, seconds) {
      scripts += 1;
      const script = path.join(scratchDir, `wrk-${String(scripts)}.lua`);
      const lines = [`wrk.method = ${lua(request.method)}`];
      if (request.body !== undefined) lines.push(`wrk.body = ${lua(request.body)}`);
      for (const [name, value] of Object.entries(request.headers ?? {})) {
        lines.push(`wrk.headers[${lua(name)}] = ${lua(value)}`);
      }
      lines.push(
        'done = function(summary, latency, requests)',
        '  local e = summary.errors',
        '  io.write(string.format("WRK %d %d %f %f %d\\n", summary.requests, summary.duration,',
        '    latency:percentile(50), latency:percentile(99),',
        '    e.connect + e.read + e.write + e.status + e.timeout))',
        'end',
      );
      await writeFile(script, `${lines.join('\n')}\n`);
      const { stdout } = await runOk(
        'wrk',
        [
          '-t1',
          `-c${String(connections)}`,
          `-d${String(seconds)}s`,
          '--timeout',
          '10s',
          '-s',
          script,
          request.url,
        ],
        { cwd: scratchDir, timeoutMs: (seconds + 30) * 1000 },
      );
      const match = /^WRK (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)$/m.exec(stdout);
      if (match === null) throw new Error(`unexpected wrk output:\n${stdout}`);
      const [, requests, durationUs, p50, p99, errors] = match.map(Number);
      return {
        requests: requests ?? 0,
        rps: (requests ?? 0) / ((durationUs ?? 1) / 1e6),
        p50: (p50 ?? 0) / 1000,
        p99: (p99 ?? 0) / 1000,
        errors: errors ?? 0,
      };
    },
  };
}

/** A Lua string literal. */
function lua(value: string): string {
  return JSON.stringify(value);
}

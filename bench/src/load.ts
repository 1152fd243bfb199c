/**
 * The load generator: wrk where it is installed (C, one thread, so it leaves the most CPU to the
 * server on a small machine), else autocannon from this package's dependencies. Both send the same
 * requests over a fixed number of keep-alive connections for a fixed time.
 *
 * wrk runs without a per-request Lua hook: plain GETs need no script at all (headers go through
 * `-H`), and POST uses a script that only sets `wrk.method`, `wrk.body` and `wrk.headers` once, so
 * wrk builds the request a single time as it does for a GET. Results come from wrk's own text
 * output (`--latency` for the percentiles). wrk runs under `sh -c '…; times'`, whose second line
 * is the CPU time wrk used: that and the server's CPU over the same interval (from /proc) show
 * which side of the connection was the bottleneck.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
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
  /** Responses outside 2xx/3xx (part of `errors`). */
  readonly non2xx: number;
  /** Wall seconds the load ran. */
  readonly seconds: number;
  /** CPU seconds (user + system) the load generator itself used; null when it cannot be told. */
  readonly generatorCpuSeconds: number | null;
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
    name: `autocannon ${autocannonVersion()} (in the bench's own process: its CPU is not measured)`,
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
        non2xx: result.non2xx,
        seconds,
        generatorCpuSeconds: null,
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
      const args = [
        '-t1',
        `-c${String(connections)}`,
        `-d${String(seconds)}s`,
        '--timeout',
        '10s',
        '--latency',
      ];
      if (request.method === 'GET' && request.body === undefined) {
        for (const [name, value] of Object.entries(request.headers ?? {})) {
          args.push('-H', `${name}: ${value}`);
        }
      } else {
        // Set once when the script loads; no request()/response() hook runs per request.
        scripts += 1;
        const script = path.join(scratchDir, `wrk-${String(scripts)}.lua`);
        const lines = [`wrk.method = ${lua(request.method)}`];
        if (request.body !== undefined) lines.push(`wrk.body = ${lua(request.body)}`);
        for (const [name, value] of Object.entries(request.headers ?? {})) {
          lines.push(`wrk.headers[${lua(name)}] = ${lua(value)}`);
        }
        await writeFile(script, `${lines.join('\n')}\n`);
        args.push('-s', script);
      }
      args.push(request.url);
      // `times` prints the shell's and then its children's user and system time.
      const { stdout } = await runOk('sh', ['-c', 'wrk "$@" && times', 'sh', ...args], {
        cwd: scratchDir,
        timeoutMs: (seconds + 30) * 1000,
      });
      return parseWrk(stdout);
    },
  };
}

const UNIT_MS: Record<string, number> = { us: 1e-3, ms: 1, s: 1000, m: 60_000 };
const DURATION_S: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** wrk's text report (with `--latency`) followed by the output of `times`. */
export function parseWrk(stdout: string): LoadResult {
  const fail = (what: string): never => {
    throw new Error(`unexpected wrk output (${what}):\n${stdout}`);
  };
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(stdout);
    if (match === null) return fail(`no ${p}% latency`);
    return Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  };
  const total = /^\s+(\d+) requests in ([\d.]+)(us|ms|s|m|h),/m.exec(stdout);
  if (total === null) return fail('no request count');
  const requests = Number(total[1]);
  const seconds = Number(total[2]) * (DURATION_S[total[3] ?? ''] ?? Number.NaN);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const socketErrors =
    socket === null ? 0 : socket.slice(1).reduce((sum, value) => sum + Number(value), 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  // `times`: line 1 the shell, line 2 its children (wrk): "0m0.12s 0m0.34s" (bash, dash alike).
  const timeLines = stdout
    .split('\n')
    .filter((line) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(line.trim()));
  const childLine = timeLines.at(-1);
  let generatorCpuSeconds: number | null = null;
  if (childLine !== undefined && timeLines.length >= 2) {
    generatorCpuSeconds = [...childLine.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
      (sum, match) => sum + Number(match[1]) * 60 + Number(match[2]),
      0,
    );
  }
  return {
    requests,
    rps: requests / seconds,
    p50: percentile('50'),
    p99: percentile('99'),
    errors: socketErrors + non2xx,
    non2xx,
    seconds,
    generatorCpuSeconds,
  };
}

/** A Lua string literal. */
function lua(value: string): string {
  return JSON.stringify(value);
}

let clockTicks: number | undefined;

/** CPU seconds (user + system, all threads) a process has used so far (Linux /proc). */
export async function processCpuSeconds(pid: number): Promise<number> {
  if (clockTicks === undefined) {
    const result = await run('getconf', ['CLK_TCK'], { cwd: '/' }).catch(() => null);
    clockTicks = Number(result?.stdout.trim() ?? '') || 100;
  }
  const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15, i.e. 11 and 12 after the name and state.
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** CPU seconds every core of the machine has spent busy so far (Linux /proc/stat, all processes). */
export async function machineBusySeconds(): Promise<number> {
  if (clockTicks === undefined) await processCpuSeconds(process.pid);
  const stat = await readFile('/proc/stat', 'utf8');
  const line = stat.split('\n').find((item) => item.startsWith('cpu '));
  if (line === undefined) throw new Error('no cpu line in /proc/stat');
  // user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait.
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = values.reduce(
    (sum, value, index) => (index === 3 || index === 4 ? sum : sum + value),
    0,
  );
  return busy / (clockTicks ?? 100);
}

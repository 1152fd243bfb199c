/**
 * Issue #17, reliability of a built service under trouble, on each framework:
 *
 * - a database outage (a restart, then the database stopped for seconds): requests that need the
 *   database answer 503 SERVICE_UNAVAILABLE with Retry-After (never a 500), the process lives on,
 *   no acknowledged write is lost, readiness follows the database, and writes succeed again once
 *   it is back, without a restart of the service;
 * - SIGTERM under keep-alive load: readiness fails at once while requests are still served (each
 *   with `Connection: close`) for SHUTDOWN_DRAIN_MS; then the listener closes, and no request on an
 *   established connection is dropped; the process exits 0.
 *
 * The database is a private PostgreSQL cluster (support/pg-cluster.ts), the only one a test may
 * stop. Load comes from Node's fetch (undici) with keep-alive, 16 clients at a time.
 */
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { startPrivateCluster, type PrivateCluster } from '../support/pg-cluster.js';
import { runOk, type StartedServer } from '../support/process.js';
import { startBuiltService } from './built-service.js';
import { FRAMEWORKS } from './setup.js';

const CLIENTS = 16;
const DRAIN_MS = 1500;
/** Longer than any answer should take; a request still open then counts as a client-side error. */
const REQUEST_TIMEOUT_MS = 8000;
/** How long the database stays stopped. */
const OUTAGE_MS = 4000;
/** Once the database is back, readiness and writes must recover within this (no restart). */
const RECOVERY_MS = 5000;
const SERVICE_ENV = {
  SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
  SHUTDOWN_TIMEOUT_MS: '10000',
  LOG_LEVEL: 'info',
  // 16 clients as fast as they can go would exhaust any per-client budget.
  RATE_LIMIT_MAX: '0',
};
/** The category model's table (`@@map("categories")` in the generated schema). */
const CATEGORY_TABLE = 'categories';

const started = performance.now();
/** Milliseconds since this file started: one clock for requests and test events. */
const now = () => Math.round(performance.now() - started);

interface Answer {
  readonly kind: 'answer';
  readonly method: string;
  readonly path: string;
  readonly sentAt: number;
  readonly doneAt: number;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

interface Failure {
  readonly kind: 'error';
  readonly method: string;
  readonly path: string;
  readonly sentAt: number;
  readonly doneAt: number;
  /** `error.cause.code` for undici's errors (ECONNREFUSED, UND_ERR_SOCKET, …), else the name. */
  readonly code: string;
  readonly message: string;
}

type Outcome = Answer | Failure;

/** One request through the global fetch (keep-alive); never throws: what happened is the result. */
async function send(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Outcome> {
  const sentAt = now();
  try {
    const response = await fetch(baseUrl + path, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    // Read the whole body: a cut-off one is a client-side error too.
    const text = await response.text();
    return {
      kind: 'answer',
      method,
      path,
      sentAt,
      doneAt: now(),
      status: response.status,
      headers: response.headers,
      body: text,
    };
  } catch (error) {
    return {
      kind: 'error',
      method,
      path,
      sentAt,
      doneAt: now(),
      code: errorCode(error),
      message: errorMessage(error),
    };
  }
}

function errorCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  // Several addresses tried: an AggregateError whose parts carry the codes.
  const parts = (cause as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(parts)) {
    const partCode = (parts[0] as { code?: unknown } | undefined)?.code;
    if (typeof partCode === 'string') return partCode;
  }
  if (error instanceof Error) return error.name;
  return String(error);
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** What an outcome was, in a few words: `201`, `503 application/problem+json`, `error ECONNREFUSED`. */
function summary(outcome: Outcome | undefined): string {
  if (outcome === undefined) return 'nothing';
  if (outcome.kind === 'error') return `error ${outcome.code}`;
  return String(outcome.status);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const name = key(item);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Everything wrong with an answer that should be a 503 problem for an unreachable database. */
function unavailableProblems(answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status !== 503) problems.push(`status ${String(answer.status)}`);
  const type = answer.headers.get('content-type') ?? '(none)';
  if (!type.startsWith('application/problem+json')) problems.push(`content-type ${type}`);
  let code: unknown;
  try {
    code = (JSON.parse(answer.body) as { code?: unknown }).code;
  } catch {
    code = '(body not JSON)';
  }
  if (code !== 'SERVICE_UNAVAILABLE') problems.push(`code ${String(code)}`);
  const retryAfter = answer.headers.get('retry-after');
  if (retryAfter === null || !/^\d+$/.test(retryAfter)) {
    problems.push(`retry-after ${retryAfter ?? '(none)'}`);
  }
  return problems;
}

/** Polls until `check` gives a value, for at most `timeoutMs`; undefined when it never does. */
async function within<T>(timeoutMs: number, check: () => Promise<T | undefined> | T | undefined) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined || performance.now() > deadline) return value;
    await sleep(100);
  }
}

/** The process's exit, once it happens: [code, signal]. */
function watchExit(server: StartedServer): {
  readonly exit: [number | null, string | null] | undefined;
} {
  const state: { exit: [number | null, string | null] | undefined } = { exit: undefined };
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    state.exit = [server.child.exitCode, server.child.signalCode];
  }
  server.child.once('exit', (code: number | null, signal: string | null) => {
    state.exit = [code, signal];
  });
  return state;
}

/**
 * The server's log without the access log (a line per request at info), one short line per entry:
 * the last `lines` distinct warnings, errors and lifecycle messages, with each error's message.
 */
function notableLog(output: string, lines = 15): string {
  const notable = output.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    let entry: { level?: number; msg?: string; err?: { type?: string; message?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return [line.slice(0, 300)];
    }
    const level = entry.level ?? 0;
    const msg = entry.msg ?? '';
    if (level < 40 && /^(incoming request|request completed)$/.test(msg)) return [];
    const err =
      entry.err === undefined
        ? ''
        : ` (${entry.err.type ?? 'error'}: ${(entry.err.message ?? '').replace(/\s+/g, ' ').trim()})`;
    return [`[${String(level)}] ${msg}${err}`.slice(0, 300)];
  });
  // Repeated lines once, with a count: thousands of failed requests make a few distinct errors.
  const counts = new Map<string, number>();
  for (const line of notable) counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts]
    .slice(-lines)
    .map(([line, count]) => (count === 1 ? line : `${line} ×${String(count)}`))
    .join('\n');
}

describe.each(FRAMEWORKS)('%s service: reliability (#17)', (framework) => {
  const { serviceDir } = inject('services')[framework];
  let cluster: PrivateCluster | undefined;
  let databaseUrl = '';

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    databaseUrl = await cluster.createDatabase('shop');
    await runOk('pnpm', ['run', 'db:deploy'], {
      cwd: serviceDir,
      env: { DATABASE_URL: databaseUrl },
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('database restarted, then down for 4 s: 503 SERVICE_UNAVAILABLE with Retry-After, no 500, no acknowledged write lost, recovers by itself', async () => {
    const db = cluster;
    if (db === undefined) throw new Error('no cluster');
    const server = await startBuiltService(serviceDir, databaseUrl, SERVICE_ENV);
    // However the test ends, the server does not outlive it (stop() after an exit is a no-op).
    onTestFinished(async () => {
      await server.stop();
    });
    const watched = watchExit(server);
    const run = `outage-${randomBytes(4).toString('hex')}`;
    const writes: (Outcome & { readonly name: string })[] = [];
    const marks = { restart: 0, restarted: 0, stop: 0, stopped: 0, start: 0, started: 0 };
    let writing = true;
    let next = 0;
    const writers = Array.from({ length: CLIENTS }, async () => {
      while (writing) {
        const name = `${run}-${String(next++)}`;
        const outcome = await send(server.baseUrl, 'POST', '/api/v1/categories', { name });
        writes.push({ ...outcome, name });
        // A refused write is retried by nobody; the next one (a new name) waits a moment.
        if (outcome.kind === 'error' || outcome.status !== 201) await sleep(20);
      }
    });
    let databaseDown = false;
    let aliveAfterOutage: boolean | undefined;
    const readyWhileDown: Outcome[] = [];
    let readyAgain: { outcome: Outcome; afterMs: number } | undefined;
    let exitDuringOutage: [number | null, string | null] | undefined;
    let exitCode: number | null | undefined;
    try {
      await sleep(1500);
      marks.restart = now();
      await db.restart();
      marks.restarted = now();
      await sleep(1500);
      marks.stop = now();
      databaseDown = true;
      await db.stop();
      marks.stopped = now();
      await sleep(500);
      readyWhileDown.push(await send(server.baseUrl, 'GET', '/health/ready'));
      await sleep(OUTAGE_MS - 1000);
      readyWhileDown.push(await send(server.baseUrl, 'GET', '/health/ready'));
      await sleep(Math.max(0, marks.stopped + OUTAGE_MS - now()));
      marks.start = now();
      await db.start();
      databaseDown = false;
      marks.started = now();
      readyAgain = await within(RECOVERY_MS, async () => {
        const outcome = await send(server.baseUrl, 'GET', '/health/ready');
        return summary(outcome) === '200' ? { outcome, afterMs: now() - marks.started } : undefined;
      });
      await within(RECOVERY_MS, () =>
        writes.find((write) => write.sentAt >= marks.started && summary(write) === '201'),
      );
      await sleep(2000);
      aliveAfterOutage = server.child.exitCode === null && server.child.signalCode === null;
    } finally {
      writing = false;
      await Promise.all(writers);
      if (databaseDown) await db.start();
      exitDuringOutage = watched.exit;
      exitCode = await server.stop();
    }
    const end = writes.reduce((latest, write) => Math.max(latest, write.sentAt), 0);

    const acknowledged = writes.filter(
      (write): write is Answer & { name: string } =>
        write.kind === 'answer' && write.status === 201,
    );
    const refused = writes.filter(
      (write): write is Answer & { name: string } =>
        write.kind === 'answer' && write.status !== 201,
    );
    const clientErrors = writes.filter((write) => write.kind === 'error');
    const stored = new Map(
      (
        await db.query(
          'shop',
          `SELECT id::text, name FROM ${CATEGORY_TABLE} WHERE name LIKE '${run}-%'`,
        )
      )
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('|') as [string, string]),
    );
    const missing = acknowledged.filter((write) => {
      const id = (JSON.parse(write.body) as { id?: string }).id ?? '(no id)';
      return stored.get(id) !== write.name;
    });
    const storedNames = new Set(stored.values());
    const refusedButStored = refused.filter((write) => storedNames.has(write.name)).length;
    const wrongRefusals = countBy(
      refused.filter((write) => unavailableProblems(write).length > 0),
      (write) => unavailableProblems(write).join(', '),
    );
    const firstRefusalSample = refused.find((write) => unavailableProblems(write).length > 0);
    // Sent while the database was surely down (not just before it came back).
    const whileDown = writes.filter(
      (write) => write.sentAt >= marks.stopped && write.sentAt < marks.start - 500,
    );
    const firstAcknowledgedAfterStart = acknowledged.find((write) => write.sentAt >= marks.started);
    const lastSecond = writes.filter((write) => write.sentAt >= end - 1000);

    console.log(
      `[${framework}] outage: ${String(writes.length)} writes: acknowledged (201) ${String(acknowledged.length)}, ` +
        `503 ${String(refused.filter((write) => write.status === 503).length)}, ` +
        `other answers ${JSON.stringify(
          countBy(
            refused.filter((write) => write.status !== 503),
            (write) => String(write.status),
          ),
        )}, ` +
        `client-side errors ${JSON.stringify(countBy(clientErrors, (write) => write.code))}; ` +
        `while the database was down: ${JSON.stringify(countBy(whileDown, summary))}; ` +
        `refused but stored anyway ${String(refusedButStored)}; acknowledged but missing ${String(missing.length)}; ` +
        `readiness while down ${readyWhileDown.map(summary).join(', ')}, 200 again after ${readyAgain === undefined ? 'never' : `${String(readyAgain.afterMs)} ms`}; ` +
        `first 201 ${firstAcknowledgedAfterStart === undefined ? 'never' : `${String(firstAcknowledgedAfterStart.doneAt - marks.started)} ms`} after the database was back; ` +
        `timeline ${JSON.stringify(marks)}`,
    );

    const log = `server log (warnings, errors, lifecycle):\n${notableLog(server.output())}`;
    expect.soft(exitDuringOutage, `the server exited during the outage\n${log}`).toBeUndefined();
    expect.soft(aliveAfterOutage, 'the server is still running after the outage').toBe(true);
    expect.soft(exitCode, 'SIGTERM after the outage: exit code').toBe(0);
    expect.soft(acknowledged.length, 'acknowledged writes').toBeGreaterThan(0);
    expect
      .soft(
        missing.map((write) => write.name).slice(0, 10),
        `${String(missing.length)} acknowledged (201) writes are not in the database`,
      )
      .toEqual([]);
    expect
      .soft(
        wrongRefusals,
        `every write not acknowledged is a 503 SERVICE_UNAVAILABLE problem with Retry-After; e.g. ` +
          `${firstRefusalSample === undefined ? '' : `${String(firstRefusalSample.status)} ${firstRefusalSample.body}`}\n${log}`,
      )
      .toEqual({});
    expect
      .soft(
        countBy(clientErrors, (write) => `${write.code} (${write.message})`),
        'client-side errors (no answer) during the outage',
      )
      .toEqual({});
    expect.soft(whileDown.length, 'writes sent while the database was down').toBeGreaterThan(0);
    expect
      .soft(countBy(whileDown, summary), 'writes sent while the database was down')
      .toEqual({ '503': whileDown.length });
    expect
      .soft(readyWhileDown.map(summary), '/health/ready while the database is down')
      .toEqual(['503', '503']);
    expect
      .soft(
        readyAgain?.afterMs,
        `/health/ready answers 200 within ${String(RECOVERY_MS)} ms of the database being back`,
      )
      .toBeDefined();
    expect
      .soft(
        firstAcknowledgedAfterStart?.doneAt,
        `a write succeeds (201) within ${String(RECOVERY_MS)} ms of the database being back`,
      )
      .toBeLessThanOrEqual(marks.started + RECOVERY_MS);
    expect
      .soft(countBy(lastSecond, summary), 'writes in the last second (the database long back)')
      .toEqual({ '201': lastSecond.length });
  });

  it('SIGTERM under keep-alive load: not ready at once, serves the drain with Connection: close, drops no request, exits 0', async () => {
    const server = await startBuiltService(serviceDir, databaseUrl, SERVICE_ENV);
    // However the test ends, the server does not outlive it (stop() after an exit is a no-op).
    onTestFinished(async () => {
      await server.stop();
    });
    const exited = once(server.child, 'exit') as Promise<[number | null, string | null]>;
    let hasExited = false;
    void exited.then(() => {
      hasExited = true;
    });
    const run = `sigterm-${randomBytes(4).toString('hex')}`;
    const existing = await send(server.baseUrl, 'POST', '/api/v1/categories', { name: `${run}-x` });
    expect(summary(existing), existing.kind === 'answer' ? existing.body : '').toBe('201');
    const id = existing.kind === 'answer' ? (JSON.parse(existing.body) as { id: string }).id : '';

    const load: Outcome[] = [];
    let next = 0;
    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = client; !hasExited; i++) {
        const outcome =
          i % 2 === 0
            ? await send(server.baseUrl, 'GET', `/api/v1/categories/${id}`)
            : await send(server.baseUrl, 'POST', '/api/v1/categories', {
                name: `${run}-${String(next++)}`,
              });
        load.push(outcome);
        // Refused: the listener is closed, the server is done with us.
        if (outcome.kind === 'error' && outcome.code === 'ECONNREFUSED') return;
      }
    });
    let sigterm = 0;
    const ready: Outcome[] = [];
    let exit: [number | null, string | null] | undefined;
    try {
      // Every client has its keep-alive connection and is busy.
      await sleep(1000);
      sigterm = now();
      server.child.kill('SIGTERM');
      await sleep(100);
      ready.push(await send(server.baseUrl, 'GET', '/health/ready'));
      await sleep(DRAIN_MS - 700);
      ready.push(await send(server.baseUrl, 'GET', '/health/ready'));
      exit = await Promise.race([exited, sleep(15_000).then(() => undefined)]);
    } finally {
      if (exit === undefined) server.child.kill('SIGKILL');
      await Promise.all(clients);
      await server.stop();
    }

    const answers = load.filter((outcome): outcome is Answer => outcome.kind === 'answer');
    const errors = load.filter((outcome): outcome is Failure => outcome.kind === 'error');
    const refused = errors.filter((error) => error.code === 'ECONNREFUSED');
    const dropped = errors.filter((error) => error.code !== 'ECONNREFUSED');
    // Sent well inside the drain: after the signal surely arrived, before the drain can end.
    const duringDrain = answers.filter(
      (answer) => answer.sentAt >= sigterm + 100 && answer.sentAt <= sigterm + DRAIN_MS - 200,
    );
    const served = (answer: Answer) => answer.status === 200 || answer.status === 201;
    const closing = (answer: Answer) =>
      (answer.headers.get('connection') ?? '').toLowerCase() === 'close';

    console.log(
      `[${framework}] SIGTERM: ${String(load.length)} requests (${String(load.filter((outcome) => outcome.sentAt >= sigterm).length)} sent after the signal): ` +
        `answers ${JSON.stringify(countBy(answers, summary))}, ` +
        `during the drain ${JSON.stringify(countBy(duringDrain, (answer) => `${summary(answer)}${closing(answer) ? ' close' : ' keep-alive'}`))}, ` +
        `ECONNREFUSED ${String(refused.length)} (the first sent ${refused.length === 0 ? '-' : String(Math.min(...refused.map((error) => error.sentAt)) - sigterm)} ms after the signal), dropped ${JSON.stringify(countBy(dropped, (error) => error.code))}; ` +
        `readiness ${ready.map(summary).join(', ')}; exit ${JSON.stringify(exit ?? 'none within 15 s')}`,
    );

    const log = `server log (warnings, errors, lifecycle):\n${notableLog(server.output())}`;
    expect
      .soft(ready.map(summary), '/health/ready 100 ms and 900 ms after SIGTERM (during the drain)')
      .toEqual(['503', '503']);
    expect.soft(duringDrain.length, 'answers to requests sent during the drain').toBeGreaterThan(0);
    expect
      .soft(
        countBy(
          duringDrain.filter((answer) => !served(answer) || !closing(answer)),
          (answer) =>
            `${summary(answer)} connection: ${answer.headers.get('connection') ?? '(none)'}`,
        ),
        'requests sent during the drain that were not served (200/201) with connection: close',
      )
      .toEqual({});
    expect
      .soft(
        countBy(
          answers.filter((answer) => !served(answer)),
          (answer) => `${summary(answer)} ${answer.body.slice(0, 200)}`,
        ),
        'answers to the load (before, during and after the drain) that are not a success',
      )
      .toEqual({});
    expect
      .soft(
        countBy(dropped, (error) => `${error.code} (${error.message})`),
        'requests dropped on an established connection (anything but ECONNREFUSED); ' +
          `ms after SIGTERM, sent → failed: ${dropped
            .slice(0, 20)
            .map(
              (error) =>
                `${error.method} ${String(error.sentAt - sigterm)} → ${String(error.doneAt - sigterm)}`,
            )
            .join(', ')}`,
      )
      .toEqual({});
    expect.soft(exit, `exit [code, signal] after SIGTERM\n${log}`).toEqual([0, null]);
  });
});

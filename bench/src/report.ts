import type { GenerationResult } from './generation.js';
import type { SuiteResult, TargetKind, TargetResult, ThroughputResult } from './http.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly pnpm: string;
  readonly postgres: string;
  readonly date: string;
}

export interface BenchResult {
  readonly mode: 'full' | 'quick';
  readonly machine: Machine;
  readonly durationSeconds: number;
  readonly generation?: GenerationResult | undefined;
  readonly throughput?: ThroughputResult | undefined;
  readonly testSuites?: SuiteResult[] | undefined;
  readonly targets: TargetCheck[];
}

export interface TargetCheck {
  readonly goal: string;
  readonly measured: string;
  /** null: reported, no goal to meet. */
  readonly met: boolean | null;
}

const fixed = (value: number, digits = 0) => value.toFixed(digits);
const ratio = (value: number) => `${value.toFixed(2)}×`;
const cores = (value: number | null | undefined) => (value == null ? '–' : value.toFixed(2));

/** The faster raw node:http + pg variant for this endpoint: every "× raw" is against it. */
function rawRps(throughput: ThroughputResult, endpoint: string): number | undefined {
  const values = throughput.targets
    .filter((target) => target.kind === 'raw')
    .map((target) => target.endpoints[endpoint]?.rps ?? 0);
  const best = Math.max(0, ...values);
  return best > 0 ? best : undefined;
}

function byKind(
  throughput: ThroughputResult,
  kind: TargetKind,
  framework: string | null,
): TargetResult | undefined {
  return throughput.targets.find((item) => item.kind === kind && item.framework === framework);
}

const FRAMEWORK_NAMES: Record<string, string> = { fastify: 'Fastify', express: 'Express' };

function generationMs(generation: GenerationResult, key: string): number | undefined {
  return generation.rows.find((item) => item.key === key)?.summary.median;
}

/** The goals of issue #16, checked against this run (reported, never asserted). */
export function checkTargets(
  generation: GenerationResult | undefined,
  throughput: ThroughputResult | undefined,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (throughput !== undefined) {
    for (const framework of ['fastify', 'express']) {
      const name = FRAMEWORK_NAMES[framework] ?? framework;
      const generated = byKind(throughput, 'generated', framework);
      if (generated === undefined) continue;
      const nest = byKind(throughput, 'nest', framework);
      if (nest !== undefined) {
        const ratios = Object.entries(generated.endpoints).map(([endpoint, item]) => ({
          endpoint,
          factor: item.rps / (nest.endpoints[endpoint]?.rps ?? Number.NaN),
        }));
        checks.push({
          goal: `generated ${name} > NestJS + Prisma (platform-${framework}) on every endpoint`,
          measured: ratios.map((item) => `${item.endpoint} ${ratio(item.factor)}`).join(', '),
          met: ratios.length > 0 && ratios.every((item) => item.factor > 1),
        });
      }
      const bare = byKind(throughput, 'bare-prisma', framework);
      const get = generated.endpoints.get;
      const bareGet = bare?.endpoints.get;
      if (get !== undefined && bareGet !== undefined) {
        checks.push({
          goal: `generated ${name}: GET /:id ≥ 0.90× bare ${name} + Prisma`,
          measured: ratio(get.rps / bareGet.rps),
          met: get.rps / bareGet.rps >= 0.9,
        });
      }
      const authGet = generated.endpoints['auth-get'];
      if (get !== undefined && authGet !== undefined) {
        checks.push({
          goal: `generated ${name}: GET with Bearer ≥ 0.85× its own GET /:id`,
          measured: ratio(authGet.rps / get.rps),
          met: authGet.rps / get.rps >= 0.85,
        });
      }
      checks.push({
        goal: `generated ${name}: idle RSS ≤ 150 MiB`,
        measured: `${fixed(generated.idleRssMiB)} MiB`,
        met: generated.idleRssMiB <= 150,
      });
      const loaded = Object.entries(generated.endpoints).sort(
        (x, y) => y[1].rssMiB - x[1].rssMiB,
      )[0];
      if (loaded !== undefined) {
        checks.push({
          goal: `generated ${name}: RSS under load (reported)`,
          measured: `${fixed(loaded[1].rssMiB)} MiB peak (${loaded[0]})`,
          met: null,
        });
      }
    }
    const errors = throughput.targets.reduce(
      (sum, target) =>
        sum + Object.values(target.endpoints).reduce((inner, item) => inner + item.errors, 0),
      0,
    );
    checks.push({ goal: 'no errors under load', measured: String(errors), met: errors === 0 });
  }
  if (generation !== undefined) {
    const nest = generationMs(generation, 'nest-resource');
    const limits: [string, number][] = [
      ['dry-run', 1000],
      ['dry-run-no-format', 1000],
      ['write', 1000],
      ['write-format', 1000],
      ['jwt-dry-run', 1000],
      ['jwt-dry-run-no-format', 1000],
      ['jwt-write', 1000],
      ['jwt-write-format', 1000],
      ['service-write', 500],
      ['service-write-format', 500],
      ['list', 150],
      ['help', 150],
    ];
    const measured: number[] = [];
    for (const [key, limit] of limits) {
      const row = generation.rows.find((item) => item.key === key);
      if (row === undefined) continue;
      measured.push(row.summary.median);
      checks.push({
        goal: `${row.label} ≤ ${limit >= 1000 ? `${fixed(limit / 1000, 1)} s` : `${String(limit)} ms`} (median, cold)`,
        measured: `${fixed(row.summary.median)} ms`,
        met: row.summary.median <= limit,
      });
    }
    if (nest !== undefined && measured.length > 0) {
      const slowest = Math.max(...measured);
      checks.push({
        goal: 'every command above faster than `nest g resource` (dry-run)',
        measured: `slowest ${fixed(slowest)} ms vs ${fixed(nest)} ms`,
        met: slowest < nest,
      });
    }
    const first = generation.growth[0];
    const last = generation.growth.at(-1);
    if (first !== undefined && last !== undefined && last.n > first.n) {
      checks.push({
        goal: `growth: resource ${String(last.n)} within 1.1× of the 1st`,
        measured: `${fixed(last.ms)} ms vs ${fixed(first.ms)} ms = ${ratio(last.ms / first.ms)}`,
        met: last.ms <= 1.1 * first.ms,
      });
    }
  }
  return checks;
}

export function markdown(result: BenchResult): string {
  const { machine } = result;
  const out: string[] = [
    `# svcgen bench (${result.mode})`,
    '',
    `${machine.date} · ${machine.cpu}, ${String(machine.cores)} cores, ${fixed(machine.memoryGiB)} GiB · ` +
      `${machine.os} · Node ${machine.node} · pnpm ${machine.pnpm} · PostgreSQL ${machine.postgres} · ` +
      `${fixed(result.durationSeconds)} s in all`,
    '',
    'Ratios are measured side by side in this one run; absolute numbers depend on the machine.',
    '',
  ];
  if (result.targets.length > 0) {
    out.push(
      '## Targets (issue #16; reported, not asserted)',
      '',
      '| Goal | Measured | Met |',
      '| --- | --- | --- |',
    );
    for (const check of result.targets) {
      const met = check.met === null ? 'reported' : check.met ? 'yes' : '**no**';
      out.push(`| ${check.goal} | ${check.measured} | ${met} |`);
    }
    out.push('');
  }
  const { generation, throughput, testSuites } = result;
  if (generation !== undefined) {
    const floor = generation.rows.find((row) => row.key === 'node')?.summary.median ?? 1;
    const runs = generation.rows[0]?.summary.runs ?? 0;
    out.push(
      `## Generation speed (cold process, wall ms, ${String(runs)} runs each)`,
      '',
      '| Command | median | min | max | × node -e 0 |',
      '| --- | ---: | ---: | ---: | ---: |',
    );
    for (const row of generation.rows) {
      const { median, min, max } = row.summary;
      out.push(
        `| ${row.label} | ${fixed(median)} | ${fixed(min)} | ${fixed(max)} | ${ratio(median / floor)} |`,
      );
    }
    const nest = generation.rows.find((row) => row.key === 'nest-resource');
    if (nest !== undefined) out.push('', `\`nest g resource\` ran as: \`${nest.command}\`.`);
    out.push(
      '',
      'Growth: one `api-resource` (writes, --no-format) after another into the same service; at the',
      'reported points, the median of dry runs of that resource just before it was written.',
      '',
      '| Resource added | dry run ms (median) | write ms (one run) | app.ts lines | schema.prisma lines |',
      '| ---: | ---: | ---: | ---: | ---: |',
    );
    for (const point of generation.growth) {
      out.push(
        `| ${String(point.n)} | ${fixed(point.ms)} | ${fixed(point.writeMs)} | ${String(point.appTsLines)} | ${String(point.schemaLines)} |`,
      );
    }
    out.push('');
  }
  if (throughput !== undefined) {
    const { settings } = throughput;
    out.push(
      `## Generated-service throughput`,
      '',
      `${throughput.loadGenerator}, one thread, ${String(settings.connections)} connections, ` +
        `${String(settings.warmupSeconds)} s warm-up discarded, then ${String(settings.repeats)} × ` +
        `${String(settings.seconds)} s (medians). 127.0.0.1, NODE_ENV=production, the real PostgreSQL, ` +
        `1000 products (the rows each POST load adds are deleted before the next target). ` +
        `\`prisma migrate deploy\` into the fresh database: ${fixed(throughput.migrateDeployMs)} ms. ` +
        'Every target answered GET /:id, the list and the note GET with the same JSON as the generated ' +
        'Fastify service (parsed, deep-equal) before its load.',
      '',
      '× raw: against the faster node:http + pg variant for that endpoint; × bare + Prisma and ' +
        '× Nest: against the same framework (NestJS: the same platform). CPU in cores over the ' +
        `measured runs (${String(throughput.cores)} cores in all): the server process with all its ` +
        'threads, the load generator itself, and the whole machine (the rest is mostly PostgreSQL, ' +
        'plus whatever else ran).',
      '',
    );
    const endpointKeys = Object.keys(throughput.targets[0]?.endpoints ?? {});
    for (const endpoint of endpointKeys) {
      const label = ENDPOINT_LABELS[endpoint] ?? endpoint;
      const limit = rawRps(throughput, endpoint);
      out.push(
        `### ${label}`,
        '',
        '| Target | req/s | × raw | × bare + Prisma | × Nest + Prisma | p50 ms | p99 ms | errors | RSS MiB | server CPU | µs CPU/req | wrk CPU | machine CPU |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      );
      for (const target of throughput.targets) {
        const item = target.endpoints[endpoint];
        if (item === undefined) continue;
        const against = (kind: TargetKind) => {
          const other =
            target.framework === null ? undefined : byKind(throughput, kind, target.framework);
          const rps = other?.endpoints[endpoint]?.rps;
          return rps === undefined ? '–' : ratio(item.rps / rps);
        };
        out.push(
          `| ${target.label} | ${fixed(item.rps)} | ${limit === undefined ? '–' : ratio(item.rps / limit)} | ` +
            `${against('bare-prisma')} | ${against('nest')} | ${fixed(item.p50, 2)} | ${fixed(item.p99, 2)} | ` +
            `${String(item.errors)} | ${fixed(item.rssMiB)} | ${cores(item.serverCpuCores)} | ` +
            `${fixed(item.serverCpuUsPerRequest)} | ${cores(item.loadGeneratorCpuCores)} | ${cores(item.machineCpuCores)} |`,
        );
      }
      out.push('');
    }
    out.push(...loadGeneratorCheck(throughput), '');
    out.push(
      `Idle RSS (after start-up and ${String(settings.startupRequests)} requests, ${fixed(settings.idleMs / 1000, 1)} s without load):`,
      '',
    );
    out.push('| Target | MiB |', '| --- | ---: |');
    for (const target of throughput.targets) {
      out.push(`| ${target.label} | ${fixed(target.idleRssMiB)} |`);
    }
    out.push('');
  }
  if (testSuites !== undefined && testSuites.length > 0) {
    out.push(
      '## Generated test suite (`pnpm test`, jwt-auth + 3 resources, PostgreSQL server)',
      '',
      '| Service | tests | median s | runs (ms) |',
      '| --- | ---: | ---: | --- |',
    );
    for (const suite of testSuites) {
      out.push(
        `| ${suite.framework} | ${String(suite.tests)} | ${fixed(suite.ms / 1000, 1)} | ${suite.runs.join(', ')} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/**
 * One line: how busy the load generator was against the server, over every measured run. wrk is
 * one thread, so it saturates at 1.00 core; well below that, and with the server near a full core
 * of its own, the server is the bottleneck.
 */
function loadGeneratorCheck(throughput: ThroughputResult): string[] {
  const items = throughput.targets.flatMap((target) =>
    Object.entries(target.endpoints).map(([endpoint, item]) => ({ target, endpoint, item })),
  );
  const measured = items.filter((entry) => entry.item.loadGeneratorCpuCores !== null);
  if (measured.length === 0) {
    return ['Load generator check: the load generator runs in-process, its CPU is not measured.'];
  }
  const busiest = measured.sort(
    (x, y) => (y.item.loadGeneratorCpuCores ?? 0) - (x.item.loadGeneratorCpuCores ?? 0),
  )[0];
  if (busiest === undefined) return [];
  const servers = items.map((entry) => entry.item.serverCpuCores);
  const perRequest = measured.map(
    (entry) => ((entry.item.loadGeneratorCpuCores ?? 0) / entry.item.rps) * 1e6,
  );
  const peak = busiest.item.loadGeneratorCpuCores ?? 0;
  const saturated = items.filter(
    (entry) => entry.item.machineCpuCores >= 0.9 * throughput.cores,
  ).length;
  const machine =
    saturated === 0
      ? ''
      : ` The whole machine was ≥ 90 % busy during ${String(saturated)} of ${String(items.length)} ` +
        'measurements (PostgreSQL, and anything else running): those rows compete for CPU, so ' +
        'compare ratios across runs with care.';
  const verdict =
    peak < 0.5
      ? 'wrk was never near its one core, so it was not the bottleneck'
      : "**wrk came near its one core: the numbers may be the load generator's limit**";
  return [
    `Load generator check (${verdict}): wrk used at most ${cores(busiest.item.loadGeneratorCpuCores)} of its one ` +
      `core (${busiest.target.label}, ${busiest.endpoint}: ${fixed(busiest.item.rps)} req/s, server ` +
      `${cores(busiest.item.serverCpuCores)} cores); ${fixed(Math.min(...perRequest), 1)}–` +
      `${fixed(Math.max(...perRequest), 1)} µs of wrk CPU per request; servers used ` +
      `${cores(Math.min(...servers))}–${cores(Math.max(...servers))} cores.${machine}`,
  ];
}

export const ENDPOINT_LABELS: Record<string, string> = {
  get: 'GET /api/v1/products/:id',
  list: 'GET /api/v1/products?limit=20',
  create: 'POST /api/v1/products',
  'auth-get': 'GET /api/v1/notes/:id (Bearer)',
};

/**
 * A plain bar chart of every target's req/s as a fraction of the faster raw node:http + pg variant,
 * per endpoint: the baselines in muted colours, the generated services in strong ones.
 */
export function chart(throughput: ThroughputResult, title: string): string {
  const targets = throughput.targets;
  const endpoints = Object.keys(targets[0]?.endpoints ?? {});
  const palette: Record<TargetKind, string[]> = {
    raw: ['#555555', '#999999'],
    'bare-pg': ['#c8d6e5', '#e5d6c8'],
    'bare-prisma': ['#8fa9c9', '#c9a98f'],
    nest: ['#9b8fc9', '#c98fb5'],
    generated: ['#2f6db5', '#b5702f'],
  };
  const used: Record<string, number> = {};
  const colors = targets.map((target) => {
    const index = used[target.kind] ?? 0;
    used[target.kind] = index + 1;
    const list = palette[target.kind];
    return list[index % list.length] ?? '#888';
  });
  const barHeight = 12;
  const groupGap = 18;
  const left = 230;
  const width = 760;
  const scale = (width - left - 60) / 1.1;
  const groupHeight = targets.length * barHeight + groupGap;
  const height = 70 + endpoints.length * groupHeight + targets.length * 18;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(width)}" height="${String(height)}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  const x = (value: number) => left + value * scale;
  const top = 40;
  const bottom = top + endpoints.length * groupHeight;
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${fixed(x(tick), 1)}" y1="${String(top - 6)}" x2="${fixed(x(tick), 1)}" y2="${String(bottom)}" stroke="${tick === 1 ? '#333' : '#bbb'}" stroke-dasharray="${tick === 0 || tick === 1 ? '' : '4 3'}"/>`,
      `<text x="${fixed(x(tick), 1)}" y="${String(top - 10)}" text-anchor="middle" fill="#555">${tick === 1 ? '1.0 = raw' : String(tick)}</text>`,
    );
  }
  endpoints.forEach((endpoint, group) => {
    const y0 = top + group * groupHeight;
    parts.push(
      `<text x="10" y="${String(y0 + (targets.length * barHeight) / 2 + 4)}">${escape(ENDPOINT_LABELS[endpoint] ?? endpoint)}</text>`,
    );
    const base = rawRps(throughput, endpoint) ?? 1;
    targets.forEach((target, index) => {
      const value = (target.endpoints[endpoint]?.rps ?? 0) / base;
      const y = y0 + index * barHeight;
      parts.push(
        `<rect x="${String(left)}" y="${String(y)}" width="${fixed(Math.min(value, 1.1) * scale, 1)}" height="${String(barHeight - 2)}" fill="${colors[index] ?? '#888'}"/>`,
        `<text x="${fixed(x(Math.min(value, 1.1)) + 4, 1)}" y="${String(y + barHeight - 3)}" fill="#333" font-size="10">${value.toFixed(2)}</text>`,
      );
    });
  });
  targets.forEach((target, index) => {
    const y = bottom + 14 + index * 18;
    parts.push(
      `<rect x="${String(left)}" y="${String(y - 10)}" width="12" height="12" fill="${colors[index] ?? '#888'}"/>`,
      `<text x="${String(left + 18)}" y="${String(y)}">${escape(target.label)}</text>`,
    );
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

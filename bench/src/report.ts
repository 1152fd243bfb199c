import type { GenerationResult } from './generation.js';
import type { SuiteResult, ThroughputResult, TargetResult } from './http.js';

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
  readonly met: boolean;
}

const fixed = (value: number, digits = 0) => value.toFixed(digits);
const ratio = (value: number) => `${value.toFixed(2)}×`;

function raw(throughput: ThroughputResult): TargetResult {
  const target = throughput.targets.find((item) => item.key === 'raw');
  if (target === undefined) throw new Error('no raw baseline result');
  return target;
}

/** The goals of issue #7, checked against this run. */
export function checkTargets(
  generation: GenerationResult | undefined,
  throughput: ThroughputResult | undefined,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (generation !== undefined) {
    const row = (key: string) => generation.rows.find((item) => item.key === key)?.summary.median;
    const floor = row('node');
    const dryRun = row('dry-run');
    const plop = row('plop');
    if (floor !== undefined && dryRun !== undefined) {
      checks.push({
        goal: 'api-resource --dry-run within 3× of node -e 0',
        measured: `${fixed(dryRun)} ms = ${ratio(dryRun / floor)}`,
        met: dryRun <= 3 * floor,
      });
    }
    if (plop !== undefined && dryRun !== undefined) {
      checks.push({
        goal: "api-resource --dry-run faster than plop's one-file generator",
        measured: `${fixed(dryRun)} ms vs ${fixed(plop)} ms`,
        met: dryRun < plop,
      });
    }
  }
  if (throughput !== undefined) {
    const limit = raw(throughput);
    const goals: [string, string, number][] = [
      ['fastify-generated', 'Fastify', 0.5],
      ['express-generated', 'Express', 0.3],
    ];
    for (const [key, name, goal] of goals) {
      const target = throughput.targets.find((item) => item.key === key);
      const get = target?.endpoints.get;
      const base = limit.endpoints.get;
      if (target === undefined || get === undefined || base === undefined) continue;
      checks.push({
        goal: `generated ${name}: GET /:id ≥ ${fixed(goal, 1)}× raw node:http + pg`,
        measured: ratio(get.rps / base.rps),
        met: get.rps / base.rps >= goal,
      });
      const worst = Object.entries(target.endpoints)
        .map(([endpoint, result]) => {
          const reference = limit.endpoints[endpoint];
          return { endpoint, factor: reference === undefined ? 0 : result.p99 / reference.p99 };
        })
        .sort((a, b) => b.factor - a.factor)[0];
      if (worst !== undefined) {
        checks.push({
          goal: `generated ${name}: p99 ≤ 4× raw (worst endpoint)`,
          measured: `${ratio(worst.factor)} (${worst.endpoint})`,
          met: worst.factor <= 4,
        });
      }
      checks.push({
        goal: `generated ${name}: idle RSS ≤ 160 MiB`,
        measured: `${fixed(target.idleRssMiB)} MiB`,
        met: target.idleRssMiB <= 160,
      });
    }
    const errors = throughput.targets.reduce(
      (sum, target) =>
        sum + Object.values(target.endpoints).reduce((inner, item) => inner + item.errors, 0),
      0,
    );
    checks.push({ goal: 'no errors under load', measured: String(errors), met: errors === 0 });
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
    out.push('## Targets (issue #7)', '', '| Goal | Measured | Met |', '| --- | --- | --- |');
    for (const check of result.targets) {
      out.push(`| ${check.goal} | ${check.measured} | ${check.met ? 'yes' : '**no**'} |`);
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
    out.push(
      '',
      'Growth: one `api-resource` (writes, --no-format) after another into the same service.',
      '',
      '| Resource added | ms | app.ts lines | schema.prisma lines |',
      '| ---: | ---: | ---: | ---: |',
    );
    for (const point of generation.growth) {
      out.push(
        `| ${String(point.n)} | ${fixed(point.ms)} | ${String(point.appTsLines)} | ${String(point.schemaLines)} |`,
      );
    }
    out.push('');
  }
  if (throughput !== undefined) {
    const { settings } = throughput;
    const limit = raw(throughput);
    out.push(
      `## Generated-service throughput`,
      '',
      `${throughput.loadGenerator}, ${String(settings.connections)} connections, ` +
        `${String(settings.warmupSeconds)} s warm-up discarded, then ${String(settings.repeats)} × ` +
        `${String(settings.seconds)} s (medians). 127.0.0.1, NODE_ENV=production, the real PostgreSQL. ` +
        `\`prisma migrate deploy\` into the fresh database: ${fixed(throughput.migrateDeployMs)} ms.`,
      '',
    );
    const endpointKeys = Object.keys(limit.endpoints);
    for (const endpoint of endpointKeys) {
      const label = ENDPOINT_LABELS[endpoint] ?? endpoint;
      const base = limit.endpoints[endpoint];
      if (base === undefined) continue;
      out.push(
        `### ${label}`,
        '',
        '| Target | req/s | × raw | p50 ms | p99 ms | p99 × raw | errors | RSS MiB |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      );
      for (const target of throughput.targets) {
        const item = target.endpoints[endpoint];
        if (item === undefined) continue;
        out.push(
          `| ${target.label} | ${fixed(item.rps)} | ${ratio(item.rps / base.rps)} | ${fixed(item.p50, 2)} | ` +
            `${fixed(item.p99, 2)} | ${ratio(item.p99 / base.p99)} | ${String(item.errors)} | ${fixed(item.rssMiB)} |`,
        );
      }
      out.push('');
    }
    out.push('Idle RSS (after start-up and 200 requests, 1 s without load):', '');
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

export const ENDPOINT_LABELS: Record<string, string> = {
  get: 'GET /api/v1/products/:id',
  list: 'GET /api/v1/products?limit=20',
  create: 'POST /api/v1/products',
  'auth-get': 'GET /api/v1/notes/:id (Bearer)',
};

/** A plain bar chart of every target's req/s as a fraction of raw node:http + pg. */
export function chart(throughput: ThroughputResult, title: string): string {
  const limit = raw(throughput);
  const others = throughput.targets.filter((target) => target.key !== 'raw');
  const endpoints = Object.keys(limit.endpoints);
  const colors = ['#8fa9c9', '#c9b18f', '#2f6db5', '#b5702f'];
  const barHeight = 14;
  const groupGap = 18;
  const left = 230;
  const width = 760;
  const scale = (width - left - 60) / 1.2;
  const groupHeight = others.length * barHeight + groupGap;
  const height = 70 + endpoints.length * groupHeight + others.length * 18;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(width)}" height="${String(height)}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  const x = (value: number) => left + value * scale;
  const top = 40;
  const bottom = top + endpoints.length * groupHeight;
  for (const tick of [0, 0.3, 0.5, 1]) {
    parts.push(
      `<line x1="${fixed(x(tick), 1)}" y1="${String(top - 6)}" x2="${fixed(x(tick), 1)}" y2="${String(bottom)}" stroke="${tick === 1 ? '#333' : '#bbb'}" stroke-dasharray="${tick === 0 || tick === 1 ? '' : '4 3'}"/>`,
      `<text x="${fixed(x(tick), 1)}" y="${String(top - 10)}" text-anchor="middle" fill="#555">${tick === 1 ? '1.0 = raw' : String(tick)}</text>`,
    );
  }
  endpoints.forEach((endpoint, group) => {
    const y0 = top + group * groupHeight;
    parts.push(
      `<text x="10" y="${String(y0 + (others.length * barHeight) / 2 + 4)}">${escape(ENDPOINT_LABELS[endpoint] ?? endpoint)}</text>`,
    );
    const base = limit.endpoints[endpoint]?.rps ?? 1;
    others.forEach((target, index) => {
      const value = (target.endpoints[endpoint]?.rps ?? 0) / base;
      const y = y0 + index * barHeight;
      parts.push(
        `<rect x="${String(left)}" y="${String(y)}" width="${fixed(Math.min(value, 1.2) * scale, 1)}" height="${String(barHeight - 2)}" fill="${colors[index % colors.length] ?? '#888'}"/>`,
        `<text x="${fixed(x(Math.min(value, 1.2)) + 4, 1)}" y="${String(y + barHeight - 3)}" fill="#333">${value.toFixed(2)}</text>`,
      );
    });
  });
  others.forEach((target, index) => {
    const y = bottom + 14 + index * 18;
    parts.push(
      `<rect x="${String(left)}" y="${String(y - 10)}" width="12" height="12" fill="${colors[index % colors.length] ?? '#888'}"/>`,
      `<text x="${String(left + 18)}" y="${String(y)}">${escape(target.label)}</text>`,
    );
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

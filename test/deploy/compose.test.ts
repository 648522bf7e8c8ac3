import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema, loadConfig } from '../../src/config.js';

// deploy/compose.yaml cannot be started here (no container engine): this parses it as Compose would
// (YAML merge keys, ${VAR:-default} interpolation) and checks what makes it work when it is started.

const DEPLOY = join(import.meta.dirname, '../../deploy');
const raw = readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  read_only?: boolean;
  init?: boolean;
  restart?: string;
}

/** Compose's interpolation with the variables an operator sets (and the defaults for the rest). */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_m, name: string, kind?: string, rest?: string) => {
    if (vars[name] !== undefined) return vars[name]!;
    if (kind === '?') throw new Error(`${name} is required: ${rest}`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

const OPERATOR = { JWT_SECRET: 'f'.repeat(64), POSTGRES_PASSWORD: 'compose-test' };
const compose = parse(interpolate(raw, OPERATOR), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const switchboard = Object.entries(services).filter(([, s]) => s.image === 'switchboard:local');
const configKeys = new Set(Object.keys(configSchema.in.shape));

describe('deploy/compose.yaml', () => {
  it('has every part: PostgreSQL with pgvector, Redis with persistence, a migration, two APIs behind a proxy, a worker, Prometheus, Grafana, a collector and a trace backend', () => {
    expect(services.postgres!.image).toMatch(/^pgvector\/pgvector:/);
    expect(services.redis!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(services.redis!.volumes!.some((v) => v.endsWith(':/data'))).toBe(true);
    expect(services.migrate!.command).toEqual(['node', 'dist/db/migrate-cli.js']);
    expect(services.migrate!.restart).toBe('no');
    expect(services.migrate!.build).toMatchObject({ context: '..', dockerfile: 'Dockerfile' });
    expect(existsSync(join(DEPLOY, '..', 'Dockerfile'))).toBe(true);
    for (const api of ['api-1', 'api-2']) expect(services[api]!.command).toBeUndefined(); // the image's CMD: node dist/main.js
    expect(services['worker-1']!.command).toContain('dist/worker.js');
    for (const name of ['proxy', 'prometheus', 'grafana', 'otel-collector', 'jaeger']) expect(services[name], name).toBeDefined();
    expect(switchboard.map(([n]) => n).sort()).toEqual(['api-1', 'api-2', 'migrate', 'worker-1']);
  });

  it('gives every long-running service a health check, and every dependency a condition that one can meet', () => {
    for (const name of ['postgres', 'redis', 'api-1', 'api-2', 'worker-1', 'proxy', 'prometheus', 'grafana']) {
      expect(services[name]!.healthcheck?.test.length, name).toBeGreaterThan(1);
    }
    expect(services['api-1']!.healthcheck!.test.join(' ')).toContain('/ready');
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect(services[dep]!.healthcheck, `${name} waits for ${dep} to be healthy`).toBeDefined();
        if (condition === 'service_completed_successfully') expect(services[dep]!.restart, `${dep} runs once`).toBe('no');
      }
    }
    // Nothing that runs the service starts before the migration has finished, nor before its stores are healthy.
    for (const name of ['api-1', 'api-2', 'worker-1']) {
      expect(services[name]!.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.proxy!.depends_on).toMatchObject({ 'api-1': { condition: 'service_healthy' }, 'api-2': { condition: 'service_healthy' } });
  });

  it('sets only settings that src/config.ts knows, and they parse as a production configuration', () => {
    for (const [name, s] of switchboard) {
      const env = s.environment ?? {};
      for (const key of Object.keys(env)) expect(configKeys.has(key), `${name}: ${key} is not in src/config.ts`).toBe(true);
      const config = loadConfig(env);
      expect(config.NODE_ENV).toBe('production');
      expect(config.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(config.REDIS_URL).toBe('redis://redis:6379');
      expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
    }
    for (const api of ['api-1', 'api-2']) expect(loadConfig(services[api]!.environment).TRUST_PROXY).toBe(1);
    // The secrets come from the operator, never from the file.
    expect(() => interpolate(raw, {})).toThrow(/POSTGRES_PASSWORD|JWT_SECRET/);
    expect(raw).toMatch(/^\s+JWT_SECRET: "\$\{JWT_SECRET:\?/m);
  });

  it('has Prometheus scrape a target that exists for every API process and the worker, on their METRICS_PORT', () => {
    const prom = parse(readFileSync(join(DEPLOY, 'prometheus/prometheus.yml'), 'utf8')) as { rule_files: string[]; scrape_configs: { static_configs: { targets: string[] }[] }[] };
    const targets = prom.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    const scraped = new Set<string>();
    for (const target of targets) {
      const [host, port] = target.split(':');
      const s = services[host!];
      expect(s, `scrape target ${target}`).toBeDefined();
      expect(s!.environment?.METRICS_PORT, target).toBe(port);
      expect(s!.expose, target).toContain(port);
      scraped.add(host!);
    }
    expect([...scraped].sort()).toEqual(['api-1', 'api-2', 'worker-1']);
    for (const file of prom.rule_files) expect(existsSync(join(DEPLOY, 'prometheus', file)), file).toBe(true);
    expect(services.prometheus!.volumes).toContain('./prometheus:/etc/prometheus:ro');
  });

  it('mounts files that exist, provisions Grafana with the data source and the dashboard, and proxies WebSockets to both APIs', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('.')) expect(existsSync(join(DEPLOY, source)), `${name} mounts ${source}`).toBe(true);
        else expect(compose.volumes, `${name}: named volume ${source}`).toHaveProperty(source);
      }
    }
    const ds = parse(readFileSync(join(DEPLOY, 'grafana/provisioning/datasources/prometheus.yaml'), 'utf8')) as { datasources: { type: string; url: string }[] };
    expect(ds.datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    const dash = parse(readFileSync(join(DEPLOY, 'grafana/provisioning/dashboards/switchboard.yaml'), 'utf8')) as { providers: { options: { path: string } }[] };
    const dashboardPath = dash.providers[0]!.options.path;
    expect(services.grafana!.volumes!.some((v) => v.startsWith('./grafana/switchboard-dashboard.json:') && v.split(':')[1]!.startsWith(dashboardPath))).toBe(true);
    JSON.parse(readFileSync(join(DEPLOY, 'grafana/switchboard-dashboard.json'), 'utf8'));

    const nginx = readFileSync(join(DEPLOY, 'nginx/nginx.conf'), 'utf8');
    const upstreams = [...nginx.matchAll(/^\s*server\s+([\w-]+):(\d+)/gm)].map((m) => [m[1], m[2]]);
    expect(upstreams).toEqual([
      ['api-1', '3000'],
      ['api-2', '3000'],
    ]);
    expect(nginx).toMatch(/location \/ws \{[^}]*proxy_set_header Upgrade \$http_upgrade;[^}]*proxy_set_header Connection \$connection_upgrade;/s);
    expect(nginx).toMatch(/X-Forwarded-For \$proxy_add_x_forwarded_for/);
    const collector = parse(readFileSync(join(DEPLOY, 'otel/collector.yaml'), 'utf8')) as { exporters: Record<string, { endpoint: string }> };
    expect(Object.values(collector.exporters)[0]!.endpoint).toBe('jaeger:4317');
  });
});

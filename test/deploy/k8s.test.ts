import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { configSchema, loadConfig } from '../../src/config.js';

// The Kubernetes base (deploy/k8s/base): every object validated against the Kubernetes object schemas
// by kubernetes-models (types, required fields, enums), then checked for what makes it run well: probes
// on the service's endpoints, a locked-down pod, a grace period that covers preStop plus the drain the
// code does, selectors that match, settings that src/config.ts knows.

const BASE = join(import.meta.dirname, '../../deploy/k8s/base');
const MODELS = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
} as const;

// biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field below
type Manifest = any;

const kustomization = parseAllDocuments(readFileSync(join(BASE, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as { resources: string[]; images: { name: string }[] };
const objects: Manifest[] = kustomization.resources.flatMap((file) => parseAllDocuments(readFileSync(join(BASE, file), 'utf8')).map((d) => d.toJS()));
const find = (kind: string, name: string): Manifest => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
};
const configKeys = new Set(Object.keys(configSchema.in.shape));
/** The milliseconds of the forced exit after a shutdown signal in an entry point (its drain limit). */
const drainMs = (file: string) => Number(/graceMs: ([\d_]+)/.exec(readFileSync(join(import.meta.dirname, '../../src', file), 'utf8'))![1]!.replace(/_/g, ''));

describe('deploy/k8s/base', () => {
  it('validates every object against its Kubernetes schema', () => {
    expect(objects.length).toBe(kustomization.resources.length);
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}` as keyof typeof MODELS];
      expect(Model, `${o.apiVersion} ${o.kind} has a model`).toBeDefined();
      expect(() => new Model(o).validate(), `${o.kind} ${o.metadata.name}`).not.toThrow();
    }
  });

  it('the schema validation catches a broken object (a port given as a word, a missing selector)', () => {
    const api = structuredClone(find('Deployment', 'switchboard-api'));
    api.spec.template.spec.containers[0].ports[0].containerPort = 'three thousand';
    expect(() => new Deployment(api).validate()).toThrow(/containerPort/);
    const noSelector = structuredClone(find('Deployment', 'switchboard-api'));
    delete noSelector.spec.selector;
    expect(() => new Deployment(noSelector).validate()).toThrow(/selector/);
  });

  it('has every part: API and worker Deployments, Service, Ingress, HPA, PDBs, migration Job, ConfigMap and Secret', () => {
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual(
      [
        'ConfigMap/switchboard-config',
        'Deployment/switchboard-api',
        'Deployment/switchboard-worker',
        'HorizontalPodAutoscaler/switchboard-api',
        'Ingress/switchboard',
        'Job/switchboard-migrate',
        'PodDisruptionBudget/switchboard-api',
        'PodDisruptionBudget/switchboard-worker',
        'Secret/switchboard-secrets',
        'Service/switchboard-api',
      ].sort(),
    );
  });

  it('probes readiness on /ready and liveness on /health, and gives the API resources, a locked-down pod and scrape annotations', () => {
    const pod = find('Deployment', 'switchboard-api').spec.template;
    const api = pod.spec.containers[0];
    expect(api.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 'http' });
    expect(api.livenessProbe.httpGet).toMatchObject({ path: '/health', port: 'http' });
    expect(api.ports).toEqual(expect.arrayContaining([{ name: 'http', containerPort: 3000 }]));
    expect(api.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(api.resources.limits.memory).toBeDefined();
    const metricsPort = find('ConfigMap', 'switchboard-config').data.METRICS_PORT;
    for (const name of ['switchboard-api', 'switchboard-worker']) {
      const template = find('Deployment', name).spec.template;
      const c = template.spec.containers[0];
      expect(template.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(template.spec.securityContext.runAsUser).toBeGreaterThan(0);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': metricsPort, 'prometheus.io/path': '/metrics' });
      expect(c.ports).toContainEqual({ name: 'metrics', containerPort: Number(metricsPort) });
    }
    expect(find('Deployment', 'switchboard-worker').spec.template.spec.containers[0].command).toContain('dist/worker.js');
  });

  it('gives each pod a grace period that covers its preStop wait and the drain the code does on SIGTERM', () => {
    const api = find('Deployment', 'switchboard-api').spec;
    const preStop = api.template.spec.containers[0].lifecycle.preStop.exec.command;
    expect(preStop[0]).toBe('sleep');
    const preStopSeconds = Number(preStop[1]);
    expect(preStopSeconds).toBeGreaterThanOrEqual(5); // endpoints and the ingress stop sending first
    expect(api.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStopSeconds + drainMs('main.ts') / 1000);
    expect(api.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const worker = find('Deployment', 'switchboard-worker').spec;
    expect(worker.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(drainMs('worker.ts') / 1000);
  });

  it('connects Service, Ingress, HPA and PDBs to the pods they mean', () => {
    const apiLabels = find('Deployment', 'switchboard-api').spec.template.metadata.labels;
    const svc = find('Service', 'switchboard-api');
    for (const [k, v] of Object.entries(svc.spec.selector)) expect(apiLabels[k]).toBe(v);
    expect(svc.spec.ports[0].targetPort).toBe('http');
    const backend = find('Ingress', 'switchboard').spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({ name: 'switchboard-api', port: { name: svc.spec.ports[0].name } });
    expect(Number(find('Ingress', 'switchboard').metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThan(30);
    expect(find('HorizontalPodAutoscaler', 'switchboard-api').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'switchboard-api' });
    expect(find('HorizontalPodAutoscaler', 'switchboard-api').spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(find('PodDisruptionBudget', 'switchboard-api').spec.selector.matchLabels).toEqual(find('Deployment', 'switchboard-api').spec.selector.matchLabels);
    expect(find('PodDisruptionBudget', 'switchboard-worker').spec.selector.matchLabels).toEqual(find('Deployment', 'switchboard-worker').spec.selector.matchLabels);
  });

  it('runs the migration as a Job hooked before the rollout, with the same image and settings', () => {
    const job = find('Job', 'switchboard-migrate');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
    expect(job.metadata.annotations['helm.sh/hook']).toContain('pre-upgrade');
    const c = job.spec.template.spec.containers[0];
    expect(c.command).toEqual(['node', 'dist/db/migrate-cli.js']);
    expect(c.image).toBe(find('Deployment', 'switchboard-api').spec.template.spec.containers[0].image);
    expect(kustomization.images.map((i) => i.name)).toContain(c.image);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('sets only settings that src/config.ts knows, and ConfigMap plus Secret parse as a production configuration', () => {
    const cm = find('ConfigMap', 'switchboard-config').data as Record<string, string>;
    const secret = find('Secret', 'switchboard-secrets').stringData as Record<string, string>;
    for (const key of [...Object.keys(cm), ...Object.keys(secret)]) expect(configKeys.has(key), key).toBe(true);
    for (const o of objects.filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
      const c = o.spec.template.spec.containers[0];
      for (const e of c.env ?? []) expect(configKeys.has(e.name), `${o.metadata.name}: ${e.name}`).toBe(true);
      expect(c.envFrom).toEqual([{ configMapRef: { name: 'switchboard-config' } }, { secretRef: { name: 'switchboard-secrets' } }]);
    }
    const config = loadConfig({ ...cm, ...secret });
    expect(config).toMatchObject({ NODE_ENV: 'production', TRUST_PROXY: 1, METRICS_PORT: 9464 });
  });
});

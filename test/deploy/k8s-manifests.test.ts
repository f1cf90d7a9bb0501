import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { arr, check, int, knownConfigKeys, obj, str, strMap, type Schema } from './mini-schema.js';

// No cluster here: the manifests are checked structurally against the fields Seedline relies on, then for
// the cross-references a cluster would only reveal at apply time (selectors, ports, config keys).
const DIR = join(import.meta.dirname, '../../deploy/k8s');
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const APPS = ['api', 'ingest', 'worker'];

const metadata = obj({ name: str(NAME), namespace: str(NAME), labels: strMap, annotations: strMap }, ['name']);
const probe: Schema = obj(
  {
    httpGet: obj({ path: str(/^\//), port: { oneOf: [str(), int(1)] } }, ['path', 'port']),
    exec: obj({ command: arr(str(), 1) }, ['command']),
    periodSeconds: int(1),
    timeoutSeconds: int(1),
    failureThreshold: int(1),
    initialDelaySeconds: int(0),
  },
  ['periodSeconds'],
);
const container = obj(
  {
    name: str(NAME),
    image: str(/^[\w./-]+(:[\w.-]+)?(@sha256:[a-f0-9]+)?$/),
    command: arr(str(), 1),
    ports: arr(obj({ name: str(NAME), containerPort: int(1) }, ['name', 'containerPort'])),
    envFrom: arr(
      obj({ configMapRef: obj({ name: str(NAME) }, ['name']), secretRef: obj({ name: str(NAME) }, ['name']) }),
    ),
    env: arr(obj({ name: str(/^[A-Z_][A-Z0-9_]*$/), value: str() }, ['name', 'value'])),
    readinessProbe: probe,
    livenessProbe: probe,
    startupProbe: probe,
    lifecycle: obj({ preStop: obj({ exec: obj({ command: arr(str(), 1) }, ['command']) }, ['exec']) }, ['preStop']),
    volumeMounts: arr(obj({ name: str(NAME), mountPath: str(/^\//) }, ['name', 'mountPath'])),
    resources: obj({ requests: strMap, limits: strMap }, ['requests']),
  },
  ['name', 'image', 'command', 'resources', 'livenessProbe', 'lifecycle'],
);
const labelSelector = obj({ matchLabels: strMap }, ['matchLabels']);
const SCHEMAS: Record<string, { apiVersion: string; schema: Schema }> = {
  Namespace: { apiVersion: 'v1', schema: obj({ apiVersion: str(), kind: str(), metadata }, ['metadata']) },
  ConfigMap: {
    apiVersion: 'v1',
    schema: obj({ apiVersion: str(), kind: str(), metadata, data: strMap }, ['metadata', 'data']),
  },
  Secret: {
    apiVersion: 'v1',
    schema: obj({ apiVersion: str(), kind: str(), metadata, type: str(), stringData: strMap }, [
      'metadata',
      'stringData',
    ]),
  },
  Deployment: {
    apiVersion: 'apps/v1',
    schema: obj(
      {
        apiVersion: str(),
        kind: str(),
        metadata,
        spec: obj(
          {
            replicas: int(1),
            selector: labelSelector,
            strategy: { type: 'any' },
            template: obj(
              {
                metadata: obj({ labels: strMap }, ['labels']),
                spec: obj(
                  {
                    terminationGracePeriodSeconds: int(1),
                    securityContext: { type: 'any' },
                    containers: arr(container, 1),
                    volumes: arr(
                      obj({ name: str(NAME), emptyDir: { type: 'any' }, persistentVolumeClaim: { type: 'any' } }, [
                        'name',
                      ]),
                    ),
                  },
                  ['containers', 'terminationGracePeriodSeconds'],
                ),
              },
              ['metadata', 'spec'],
            ),
          },
          ['replicas', 'selector', 'template'],
        ),
      },
      ['metadata', 'spec'],
    ),
  },
  Service: {
    apiVersion: 'v1',
    schema: obj(
      {
        apiVersion: str(),
        kind: str(),
        metadata,
        spec: obj(
          {
            selector: strMap,
            ports: arr(
              obj({ name: str(NAME), port: int(1), targetPort: { oneOf: [str(NAME), int(1)] } }, [
                'port',
                'targetPort',
              ]),
              1,
            ),
          },
          ['selector', 'ports'],
        ),
      },
      ['metadata', 'spec'],
    ),
  },
  PodDisruptionBudget: {
    apiVersion: 'policy/v1',
    schema: obj(
      {
        apiVersion: str(),
        kind: str(),
        metadata,
        spec: obj({ minAvailable: int(0), maxUnavailable: int(1), selector: labelSelector }, ['selector']),
      },
      ['metadata', 'spec'],
    ),
  },
  HorizontalPodAutoscaler: {
    apiVersion: 'autoscaling/v2',
    schema: obj(
      {
        apiVersion: str(),
        kind: str(),
        metadata,
        spec: obj(
          {
            scaleTargetRef: obj({ apiVersion: str(), kind: str(), name: str(NAME) }, ['kind', 'name']),
            minReplicas: int(1),
            maxReplicas: int(1),
            metrics: arr({ type: 'any' }),
          },
          ['scaleTargetRef', 'maxReplicas'],
        ),
      },
      ['metadata', 'spec'],
    ),
  },
  Kustomization: {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    schema: obj({ apiVersion: str(), kind: str(), namespace: str(NAME), resources: arr(str(/\.ya?ml$/), 1) }, [
      'resources',
    ]),
  },
};

interface Doc {
  file: string;
  apiVersion: string;
  kind: string;
  metadata?: { name: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  resources?: string[];
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('Kubernetes manifests (deploy/k8s), structurally', () => {
  let docs: Doc[];
  beforeAll(() => {
    docs = readdirSync(DIR)
      .filter((f) => /\.ya?ml$/.test(f))
      .flatMap((file) =>
        parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
          expect(d.errors, `${file} parses`).toEqual([]);
          return { file, ...(d.toJS() as object) } as Doc;
        }),
      );
  });
  const of = (kind: string) => docs.filter((d) => d.kind === kind);

  it('every document has a known kind, its apiVersion and a valid shape', () => {
    const problems = docs.flatMap((d) => {
      const known = SCHEMAS[d.kind];
      if (!known) return [`${d.file}: unknown kind ${d.kind}`];
      const { file, ...doc } = d;
      return [
        ...(d.apiVersion === known.apiVersion
          ? []
          : [`${file} ${d.kind}: apiVersion ${d.apiVersion}, expected ${known.apiVersion}`]),
        ...check(doc, known.schema, `${file}:${d.kind}`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('has a Deployment per app running its built entry point directly, and a Service for each HTTP app', () => {
    for (const app of APPS) {
      const dep = of('Deployment').find((d) => d.metadata?.name === `seedline-${app}`);
      expect(dep, app).toBeDefined();
      expect(dep!.spec.selector.matchLabels, `${app} selector selects its own pods`).toSatisfy(
        (s: Record<string, string>) => matches(s, dep!.spec.template.metadata.labels),
      );
      expect(dep!.spec.template.spec.containers[0].command).toEqual(['node', `apps/${app}/dist/main.js`]);
    }
    for (const app of ['api', 'ingest']) {
      const dep = of('Deployment').find((d) => d.metadata?.name === `seedline-${app}`)!;
      const svc = of('Service').find((s) => matches(s.spec.selector, dep.spec.template.metadata.labels));
      expect(svc, `a Service selects ${app}`).toBeDefined();
      const portNames = dep.spec.template.spec.containers[0].ports.map((p: { name: string }) => p.name);
      for (const p of svc!.spec.ports) expect(portNames, `${app} Service targetPort`).toContain(p.targetPort);
    }
  });

  it('probes HTTP apps on /readyz and /healthz of a declared port, and the worker with an exec probe', () => {
    for (const dep of of('Deployment')) {
      const c = dep.spec.template.spec.containers[0];
      const probes = [c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean);
      const http = probes.filter((p) => p.httpGet);
      if (c.ports?.length) {
        expect(
          http.map((p) => p.httpGet.path),
          `${dep.metadata!.name} probes /readyz`,
        ).toContain('/readyz');
        for (const p of http) {
          expect(['/readyz', '/healthz']).toContain(p.httpGet.path);
          expect(c.ports.map((x: { name: string }) => x.name)).toContain(p.httpGet.port);
        }
        expect(c.readinessProbe, `${dep.metadata!.name} has a readiness probe`).toBeDefined();
      } else {
        expect(c.livenessProbe.exec.command[0]).toBe('node');
      }
    }
  });

  it('gives SIGTERM room: a preStop pause shorter than the grace period, which covers the apps’ bounded shutdown', () => {
    for (const dep of of('Deployment')) {
      const spec = dep.spec.template.spec;
      const pre = spec.containers[0].lifecycle.preStop.exec.command;
      expect(pre[0]).toBe('sleep');
      // The apps bound each shutdown step (worker: active jobs ≤ 20 s); preStop runs before SIGTERM.
      expect(spec.terminationGracePeriodSeconds, dep.metadata!.name).toBeGreaterThanOrEqual(Number(pre[1]) + 20);
    }
  });

  it('has a PodDisruptionBudget per Deployment that still lets a node drain', () => {
    for (const dep of of('Deployment')) {
      const pdbs = of('PodDisruptionBudget').filter((p) =>
        matches(p.spec.selector.matchLabels, dep.spec.template.metadata.labels),
      );
      expect(pdbs, dep.metadata!.name).toHaveLength(1);
      const pdb = pdbs[0]!.spec;
      if (pdb.minAvailable !== undefined)
        expect(pdb.minAvailable, `${dep.metadata!.name}: minAvailable below replicas`).toBeLessThan(dep.spec.replicas);
      if (pdb.maxUnavailable !== undefined) expect(pdb.maxUnavailable).toBeGreaterThanOrEqual(1);
    }
  });

  it('refers only to ConfigMaps and Secrets it defines, holding only configuration keys the apps know', async () => {
    const known = await knownConfigKeys();
    const maps = new Map(of('ConfigMap').map((m) => [m.metadata!.name, m.data!]));
    const secrets = new Map(of('Secret').map((s) => [s.metadata!.name, s.stringData!]));
    for (const dep of of('Deployment')) {
      for (const from of dep.spec.template.spec.containers[0].envFrom) {
        if (from.configMapRef) expect(maps.has(from.configMapRef.name), from.configMapRef.name).toBe(true);
        if (from.secretRef) expect(secrets.has(from.secretRef.name), from.secretRef.name).toBe(true);
      }
      for (const e of dep.spec.template.spec.containers[0].env ?? []) expect(known, e.name).toContain(e.name);
    }
    const keys = [...maps.values(), ...secrets.values()].flatMap((m) => Object.keys(m));
    expect(keys.filter((k) => !known.has(k))).toEqual([]);
    expect(Object.keys(secrets.get('seedline-secrets')!).sort()).toEqual([
      'ADMIN_TOKEN',
      'INGEST_TOKEN',
      'LINK_SECRET',
      'METRICS_TOKEN',
      'SMTP_URL',
      'WEBHOOK_SECRET',
    ]);
    expect(maps.get('seedline-config')!.QUEUE_PREFIX, 'hash-tagged for Redis Cluster').toMatch(/^\{[^}]+\}$/);
  });

  it('lists every manifest but the example Secret in the kustomization', () => {
    const k = of('Kustomization')[0]!;
    const files = [...new Set(docs.map((d) => d.file))].filter(
      (f) => f !== 'kustomization.yaml' && f !== 'secret.example.yaml',
    );
    expect([...k.resources!].sort()).toEqual(files.sort());
    const hpa = of('HorizontalPodAutoscaler');
    for (const h of hpa) expect(of('Deployment').map((d) => d.metadata!.name)).toContain(h.spec.scaleTargetRef.name);
  });
});

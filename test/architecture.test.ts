// The layering rules of docs/architecture.md, read off the import graph of the TypeScript sources:
// every import of src/ and web/src/ (type-only ones too) is resolved to a file, and each rule
// names the imports it forbids. A rule the code does not yet keep lists its exceptions exactly
// (file → imported file, with the issue item that removes them): a new violation fails, and so
// does an exception that no longer occurs, so the list only shrinks.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), '..'));

interface Edge {
  from: string;
  /** A project file (relative to the root) or a package name. */
  to: string;
}

function sources(dir: string): string[] {
  return (readdirSync(join(ROOT, dir), { recursive: true }) as string[])
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f).split('\\').join('/'));
}

/** The file a relative specifier names (`./x.js` → `x.ts`, `./x` → `x.ts`/`x.tsx`/`x/index.ts`). */
function resolve(from: string, spec: string): string {
  const base = normalize(join(dirname(from), spec))
    .split('\\')
    .join('/');
  const stem = base.replace(/\.(js|mjs|ts|tsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`]) if (existsSync(join(ROOT, candidate)) && /\.tsx?$/.test(candidate)) return candidate;
  return base;
}

/** Every import, export-from and dynamic import() of the given files. */
function edgesOf(files: string[]): Edge[] {
  return files.flatMap((from) => {
    const info = ts.preProcessFile(readFileSync(join(ROOT, from), 'utf8'), true, true);
    return info.importedFiles.map(({ fileName }) => ({
      from,
      to: fileName.startsWith('.')
        ? resolve(from, fileName)
        : fileName.startsWith('node:')
          ? fileName
          : fileName
              .split('/')
              .slice(0, fileName.startsWith('@') ? 2 : 1)
              .join('/'),
    }));
  });
}

const SERVER = sources('src');
const WEB = sources('web/src');
const EDGES = edgesOf([...SERVER, ...WEB]);

/** The folder under src/ a file belongs to ('' for the files at src/'s top). */
const folder = (file: string) => (file.startsWith('src/') && file.split('/').length > 2 ? file.split('/')[1]! : file.startsWith('src/') ? '' : file.split('/')[0]!);
const inFolder =
  (...names: string[]) =>
  (file: string) =>
    file.startsWith('src/') && names.includes(folder(file));

/** The files that assemble and start the service; nothing else may import them. */
const COMPOSITION_ROOT = ['src/deps.ts', 'src/app.ts', 'src/main.ts', 'src/worker.ts', 'src/cluster.ts', 'src/instrumentation.ts', 'src/lifecycle.ts'];

interface Rule {
  name: string;
  /** Files the rule speaks of. */
  from: (file: string) => boolean;
  /** True when the import is forbidden for those files. */
  forbids: (to: string) => boolean;
  /** Violations kept for now, as "from → to", each removed by the named issue item. */
  exceptions?: Record<string, string>;
}

/** The agents' definitions (name, description, instructions, tools): their offline behaviour lives in src/agents/offline/. */
const AGENT_DEFINITIONS = ['src/agents/faq.ts', 'src/agents/account.ts', 'src/agents/escalation.ts', 'src/agents/router.ts'];

const RULES: Rule[] = [
  {
    name: "the agents' offline behaviour (src/agents/offline/) imports no agent definition: definitions use it, not the other way",
    from: (file) => file.startsWith('src/agents/offline/'),
    forbids: (to) => AGENT_DEFINITIONS.includes(to),
  },
  {
    name: 'db imports only configuration, errors, util and itself (no agents, http, llm, chat, realtime, knowledge, auth)',
    from: inFolder('db'),
    forbids: (to) => to.startsWith('src/') && !['db', 'util'].includes(folder(to)) && !['src/config.ts', 'src/errors.ts'].includes(to),
  },
  {
    name: 'llm imports no db, agents, chat, http, realtime, jobs, memory or knowledge',
    from: inFolder('llm'),
    forbids: (to) => inFolder('db', 'agents', 'chat', 'http', 'realtime', 'jobs', 'memory', 'knowledge', 'demo', 'auth')(to),
  },
  {
    name: 'agents import no http layer and no web framework',
    from: inFolder('agents'),
    forbids: (to) => inFolder('http')(to) || /^(fastify|@fastify\/|ws$)/.test(to),
  },
  {
    // The WebSocket transport (endpoint, sessions, feeds, scheduler, limits) is src/http/ws/, beside src/http/sse.ts.
    name: 'the event bus (src/realtime/) is infrastructure below chat: it imports no chat, agents, jobs or http',
    from: inFolder('realtime'),
    forbids: (to) => inFolder('chat', 'agents', 'jobs', 'http')(to),
  },
  {
    name: 'nothing below the composition root imports it',
    from: (file) => file.startsWith('src/') && !COMPOSITION_ROOT.includes(file),
    forbids: (to) => COMPOSITION_ROOT.includes(to),
  },
  {
    name: 'web imports from src/ only the browser-safe contract',
    from: (file) => file.startsWith('web/'),
    forbids: (to) => to.startsWith('src/') && !to.startsWith('src/contract/'),
  },
  {
    name: 'the wire contract (src/contract/) is browser-safe: it imports only zod and itself',
    from: (file) => file.startsWith('src/contract/'),
    forbids: (to) => to !== 'zod' && !to.startsWith('src/contract/'),
  },
];

describe('architecture: the import graph keeps the layering of docs/architecture.md', () => {
  it('reads a graph of the real size (the parser sees the imports)', () => {
    expect(SERVER.length).toBeGreaterThan(100);
    expect(WEB.length).toBeGreaterThan(10);
    expect(EDGES.filter((e) => e.to.startsWith('src/')).length).toBeGreaterThan(300);
    expect(EDGES).toContainEqual({ from: 'src/db/queries/messages.ts', to: 'src/db/schema.ts' });
  });

  for (const rule of RULES) {
    it(rule.name, () => {
      const found = EDGES.filter((e) => rule.from(e.from) && rule.forbids(e.to)).map((e) => `${e.from} → ${e.to}`);
      expect([...new Set(found)].sort()).toEqual(Object.keys(rule.exceptions ?? {}).sort());
    });
  }

  it('has no import cycle between files of src/', () => {
    const graph = new Map<string, string[]>(SERVER.map((f) => [f, []]));
    for (const e of EDGES) if (graph.has(e.from) && graph.has(e.to)) graph.get(e.from)!.push(e.to);
    // Tarjan's strongly connected components; a component of more than one file is a cycle.
    let index = 0;
    const stack: string[] = [];
    const onStack = new Set<string>();
    const indexOf = new Map<string, number>();
    const low = new Map<string, number>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      indexOf.set(v, index);
      low.set(v, index++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v)!) {
        if (!indexOf.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
      if (low.get(v) === indexOf.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const f of graph.keys()) if (!indexOf.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('a rule catches a violation (the checker is not vacuous)', () => {
    const fake: Edge[] = [
      { from: 'src/db/queries/x.ts', to: 'src/agents/router.ts' },
      { from: 'src/agents/x.ts', to: 'fastify' },
      { from: 'web/src/x.ts', to: 'src/db/schema.ts' },
      { from: 'src/contract/x.ts', to: 'node:fs' },
    ];
    const caught = RULES.filter((r) => fake.some((e) => r.from(e.from) && r.forbids(e.to))).length;
    expect(caught).toBe(4);
  });
});

// A small Dockerfile reader for the image tests: stages, their instructions, line continuations and
// comments, and the exec (JSON) or shell form of RUN/CMD/ENTRYPOINT/HEALTHCHECK arguments.

/** One instruction: its keyword (upper case) and the rest of its (joined) line. */
export interface Instruction {
  op: string;
  args: string;
}

/** One build stage: the base image, its name, its instructions after FROM. */
export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Parses a Dockerfile into its global ARGs and its stages. */
export function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line.startsWith('#') || !line)) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push((current + line).trim());
    current = '';
  }
  if (current.trim()) logical.push(current.trim());
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const l of logical) {
    const m = /^(\S+)\s*(.*)$/.exec(l);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    const rest = m[2]!.replace(/\s+/g, ' ').trim();
    if (op === 'FROM') {
      const f = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      stages.push({ from: f?.[1] ?? rest, name: f?.[2], instructions: [] });
    } else if (!stages.length) {
      args.push({ op, args: rest });
    } else {
      stages[stages.length - 1]!.instructions.push({ op, args: rest });
    }
  }
  return { args, stages };
}

/** The instructions of a stage with this keyword. */
export function ofType(stage: Stage, op: string): Instruction[] {
  return stage.instructions.filter((i) => i.op === op);
}

/** A command as an argv: the exec form's JSON array, or the shell form run by `sh -c`. */
export function commandOf(args: string): string[] {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as string[];
  return ['/bin/sh', '-c', trimmed];
}

/** ENV instructions of a stage as one record (`ENV A=1 B=2` and `ENV A 1`). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of ofType(stage, 'ENV')) {
    if (!args.includes('=')) {
      const [k, ...v] = args.split(' ');
      env[k!] = v.join(' ');
      continue;
    }
    for (const m of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  }
  return env;
}

/** A COPY instruction: its --from stage (if any), its sources and destination. */
export function copyOf(i: Instruction): { from?: string; sources: string[]; dest: string } {
  const parts = i.args.split(' ');
  let from: string | undefined;
  while (parts[0]?.startsWith('--')) {
    const flag = parts.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
  }
  const dest = parts.pop()!;
  return { from, sources: parts, dest };
}

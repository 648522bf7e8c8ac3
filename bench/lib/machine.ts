import os from 'node:os';

/** What a measurement ran on: it goes next to every published figure. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  date: string;
  /** 1-minute load average when the run started: other work on the machine skews timings. */
  load: number;
}

/** Describes this machine and the moment of the run. */
export function describeMachine(now: Date = new Date()): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    load: os.loadavg()[0] ?? 0,
  };
}

/** One line for a report: "Intel Xeon … (2 cores), 23 GB RAM, Node v20…, Linux …, 2026-…, load average …". */
export function machineLine(m: Machine): string {
  return `${m.cpu} (${m.cores} cores), ${m.memoryGb} GB RAM, Node ${m.node}, ${m.os}, ${m.date}, load average ${m.load.toFixed(1)} at the start`;
}

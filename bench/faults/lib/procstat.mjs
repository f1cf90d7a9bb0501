import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat reports utime and stime in these ticks

/** utime + stime of a process, in seconds; null once it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Pids of every process whose command name is `comm` (e.g. all PostgreSQL backends). */
export function pidsNamed(comm) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

/**
 * CPU used between `start()` and `stop()` per named group of processes, as a share of one core
 * (1.0 = one core busy the whole time). Groups are functions so that a restarted process is re-read.
 */
export function cpuMeter(groups) {
  let t0 = 0;
  let before = {};
  const sample = () =>
    Object.fromEntries(
      Object.entries(groups).map(([name, pids]) => {
        const per = new Map();
        for (const pid of pids()) per.set(pid, cpuSeconds(pid) ?? 0);
        return [name, per];
      }),
    );
  return {
    start() {
      t0 = performance.now();
      before = sample();
    },
    stop() {
      const elapsed = (performance.now() - t0) / 1000;
      const after = sample();
      const out = {};
      for (const [name, per] of Object.entries(after)) {
        let used = 0;
        // A process that started during the window counts from zero.
        for (const [pid, secs] of per) used += secs - (before[name]?.get(pid) ?? 0);
        out[name] = used / elapsed;
      }
      return out;
    },
  };
}

/** Local TCP ports of the sockets process `pid` holds open (IPv4 and IPv6). */
function localPortsOf(pid) {
  const inodes = new Set();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        /* closed meanwhile */
      }
    }
  } catch {
    return new Set();
  }
  const ports = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && inodes.has(f[9])) ports.add(parseInt(f[1].split(':')[1], 16));
    }
  }
  return ports;
}

/**
 * The PostgreSQL backends serving process `pid`'s connections (a FerretDB of a bench's own over the machine's
 * PostgreSQL): a backend's title names its client's address and port. Only these are this run's database
 * CPU; the server's other backends serve whoever else shares the machine.
 */
export function postgresBackendsOf(pid) {
  const ports = localPortsOf(pid);
  if (ports.size === 0) return [];
  const out = [];
  for (const p of pidsNamed('postgres')) {
    try {
      const title = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      const m = /\((\d+)\)/.exec(title);
      if (m && ports.has(Number(m[1]))) out.push(p);
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

import { readdirSync, readFileSync } from 'node:fs';

// Linux counts CPU time in clock ticks of 1/100 s (getconf CLK_TCK); Node has no call for it.
const ticksPerSecond = 100;

/**
 * CPU seconds (user + system) used so far by `pid` and its direct children, read from /proc, so
 * that a cluster primary's workers count too. Undefined where /proc is not there. A benchmark
 * reads it before and after a measurement: the difference, against wall time and requests
 * served, tells whether the server was the bottleneck and what one request costs it.
 */
export function treeCpuSeconds(pid) {
  try {
    let ticks = ownTicks(pid);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (stat?.parent === pid) ticks += stat.ticks;
    }
    return ticks / ticksPerSecond;
  } catch {
    return undefined;
  }
}

function ownTicks(pid) {
  const stat = readStat(pid);
  if (!stat) throw new Error(`no /proc entry for ${pid}`);
  return stat.ticks;
}

function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // the command name is in parentheses and may hold spaces: fields are counted after it
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

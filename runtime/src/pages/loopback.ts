import { isIPv4 } from 'node:net';

/** True for 127.0.0.0/8, `::1` and IPv4-mapped loopback (`::ffff:127.x.y.z`). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address === '::1') return true;
  const ipv4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  return isIPv4(ipv4) && ipv4.startsWith('127.');
}

// HostScores (runtime/checks/host_scores.ts): the typed-array table for IPv4 hosts on VLAN 0 and
// the Map for the others must add up exactly as a plain Map of every host would, keep the order
// hosts were first scored in, and survive growth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostScores, type HostScore } from '../../runtime/checks/host_scores.ts';
import { ipv4Number } from '../../runtime/ip.ts';

test('scores add up per host (IPv4, IPv6, VLANs) in first-scored order, through several growths', () => {
  const table = new HostScores();
  const model = new Map<string, HostScore>();
  // A seeded generator: the same hosts every run.
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const hosts: Array<[string, number]> = [];
  for (let i = 0; i < 20000; i++) {
    const r = next();
    if (i % 97 === 0) hosts.push([`2001:db8::${(r & 0xffff).toString(16)}`, 0]);
    else hosts.push([`${r >>> 24}.${(r >>> 16) & 255}.${(r >>> 8) & 255}.${r & 255}`, i % 53 === 0 ? 10 : 0]);
  }
  // Edge addresses: 0.0.0.0 (address 0) and 255.255.255.255 (the largest key).
  hosts.push(['0.0.0.0', 0], ['255.255.255.255', 0]);
  for (let i = 0; i < 60000; i++) {
    const [ip, vlan] = i < hosts.length ? hosts[i] : hosts[next() % hosts.length];
    const cli = next() % 100, srv = next() % 50;
    table.credit(ip, ipv4Number(ip), vlan, cli, srv);
    const key = `${ip}@${vlan}`;
    const entry = model.get(key) ?? { ip, vlan, asClient: 0, asServer: 0 };
    entry.asClient += cli;
    entry.asServer += srv;
    model.set(key, entry);
  }
  assert.equal(table.size, model.size);
  assert.deepEqual(table.list(), [...model.values()]);
});

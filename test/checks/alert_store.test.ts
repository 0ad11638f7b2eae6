// The alert store (runtime/alerts.ts): columns, a ring past maxAlerts, filters, subscribers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore, CUSTOM_LUA_SCRIPT_ALERT, type NewFlowAlert } from '../../runtime/alerts.ts';

function alert(i: number, overrides: Partial<NewFlowAlert> = {}): NewFlowAlert {
  return {
    tstamp: 1_700_000_000 + i, alert_id: CUSTOM_LUA_SCRIPT_ALERT, alert_name: 'flow_alert_custom_lua_script',
    alert_category: 'security', score: 10, severity: 3, msg: `alert ${i}`, source: 'lua_script', script: 'a.lua',
    hook: 'protocol_detected', risk_id: undefined, risk_name: undefined, cli_ip: '192.168.1.2', cli_port: 1000 + i,
    srv_ip: '10.0.0.1', srv_port: 443, vlan_id: 0, proto: 6, l4_proto: 'TCP', l7_proto: 91, l7_master_proto: 0,
    l7_proto_name: 'TLS', flow_key: 42 + i, hash_id: i, flow_serial: i, total_bytes: 2 ** 40 + i, flow_score: 50,
    ...overrides,
  };
}

test('fields come back as given, with row_id, family and severity_name; the added object may be reused', () => {
  const store = new AlertStore();
  const scratch = alert(1);
  assert.equal(store.add(scratch), 1);
  scratch.msg = 'changed';
  scratch.cli_port = 1;
  store.add(alert(2, { source: 'ndpi_risk', risk_id: 35, risk_name: 'Susp Entropy', script: undefined, severity: 8 }));
  const [first, second] = store.list();
  assert.deepEqual(first, { row_id: 1, family: 'flow', severity_name: 'notice', ...alert(1) });
  assert.equal(second.risk_id, 35);
  assert.equal(second.risk_name, 'Susp Entropy');
  assert.equal(second.script, undefined);
  assert.equal(second.severity_name, 'emergency');
  assert.equal(second.total_bytes, 2 ** 40 + 2);
  assert.equal(JSON.stringify(first).indexOf('"row_id":1,"tstamp"'), 1, 'ntopng field order, row_id first');
});

test('past maxAlerts the oldest go: size, total, dropped and the order of what is kept', () => {
  const store = new AlertStore(3);
  for (let i = 1; i <= 5; i++) store.add(alert(i));
  assert.equal(store.size, 3);
  assert.equal(store.total, 5);
  assert.equal(store.dropped, 2);
  assert.deepEqual(store.list().map((a) => a.row_id), [3, 4, 5]);
  assert.deepEqual(store.list().map((a) => a.msg), ['alert 3', 'alert 4', 'alert 5']);
});

test('growing the columns and wrapping the ring keep every alert in order', () => {
  const store = new AlertStore(3000);
  for (let i = 1; i <= 2500; i++) store.add(alert(i));
  assert.deepEqual(store.list().map((a) => a.row_id), Array.from({ length: 2500 }, (_, i) => i + 1));
  for (let i = 2501; i <= 7000; i++) store.add(alert(i));
  const rows = store.list().map((a) => a.row_id);
  assert.equal(rows.length, 3000);
  assert.deepEqual(rows, Array.from({ length: 3000 }, (_, i) => 4001 + i));
  assert.equal(store.list({ flowSerial: 6999 })[0].cli_port, 1000 + 6999);
  assert.equal(store.dropped, 4000);
});

test('filters, offset and limit; summary; clear keeps the row numbering', () => {
  const store = new AlertStore();
  for (let i = 1; i <= 6; i++) store.add(alert(i, { severity: i % 2 === 0 ? 5 : 3, script: i <= 3 ? 'a.lua' : 'b.lua' }));
  assert.deepEqual(store.list({ severity: 'error' }).map((a) => a.row_id), [2, 4, 6]);
  assert.deepEqual(store.list({ severity: 3, severityExact: true }).map((a) => a.row_id), [1, 3, 5]);
  assert.deepEqual(store.list({ script: 'b.lua', offset: 1, limit: 1 }).map((a) => a.row_id), [5]);
  assert.deepEqual(store.list({ flowKey: 45 }).map((a) => a.row_id), [3]);
  assert.throws(() => store.list({ severity: 'loud' }), /unknown severity loud/);
  assert.deepEqual(store.summary(), { total: 6, bySeverity: { notice: 3, error: 3 }, byType: { flow_alert_custom_lua_script: 6 } });
  store.clear();
  assert.equal(store.size, 0);
  assert.equal(store.add(alert(7)), 7);
});

test('subscribers get each alert as an object when it is added', () => {
  const store = new AlertStore(2);
  const seen: string[] = [];
  const stop = store.subscribe((a) => seen.push(`${a.row_id}:${a.msg}:${a.severity_name}`));
  store.add(alert(1));
  store.add(alert(2));
  stop();
  store.add(alert(3));
  assert.deepEqual(seen, ['1:alert 1:notice', '2:alert 2:notice']);
});

test('maxAlerts must be at least 1', () => {
  assert.throws(() => new AlertStore(0), /maxAlerts must be at least 1/);
});

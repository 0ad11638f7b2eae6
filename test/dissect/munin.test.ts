// Munin (core-as/dissect/munin.ts): the node's greeting "# munin node at <host>\n" names the flow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const MALFORMED = 17;

test('the node greeting, on any port: Munin with the node name as host name', async () => {
  const f = await tcpConversation(45654, 4949, [{ reply: ascii('# munin node at Kibana-Node01\n') }, ascii('cap multigraph dirtyconfig\n')]);
  assert.equal(proto(f), 'Munin [DPI]');
  assert.equal(f.host_server_name, 'kibana-node01');
  assert.ok(!f.flow_risk.includes(MALFORMED));
  assert.equal(proto(await tcpConversation(45654, 5000, [{ reply: ascii('# munin node at gw-ct\n') }])), 'Munin [DPI]');
});

test('a greeting without line end or without name: Munin, malformed', async () => {
  for (const greeting of ['# munin node at gw-ct', '# munin node at \n', '# munin node at ']) {
    const f = await tcpConversation(45654, 4949, [{ reply: ascii(greeting) }]);
    assert.equal(proto(f), 'Munin [DPI]', JSON.stringify(greeting));
    assert.ok(f.flow_risk.includes(MALFORMED), JSON.stringify(greeting));
    assert.equal(f.host_server_name ?? '', '');
  }
});

test('other text, or the greeting after another payload: not Munin by payload', async () => {
  assert.notEqual(proto(await tcpConversation(45654, 4949, [{ reply: ascii('# munin node on gw\n') }])), 'Munin [DPI]');
  assert.notEqual(proto(await tcpConversation(45654, 4949, [ascii('list\n'), { reply: ascii('# munin node at gw\n') }])), 'Munin [DPI]');
});

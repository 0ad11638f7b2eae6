// rsh (core-as/dissect/rsh.ts): on TCP 514, the stderr port (digits, NUL), then local user,
// remote user and command, NUL-terminated; risk 36 (Clear-Text Credentials) as nDPI sets it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

test('port, then users and command: RSH, Clear-Text Credentials naming the remote user and the command', async () => {
  const f = await tcpConversation(1023, 514, [ascii('1022\0'), ascii('lns\0root\0mkdir testdir\0'), { reply: ascii('\x01Password incorrect.\n') }]);
  assert.equal(proto(f), 'RSH [DPI]');
  assert.ok(f.flow_risk.includes(36), String(f.flow_risk));
  assert.equal((f as unknown as Record<string, unknown>).risk_info, "User 'root' executing 'mkdir testdir'");
  assert.equal(proto(await tcpConversation(1021, 514, [ascii('\0'), { reply: ascii('\0') }, ascii('a\0b\0ls\0')])), 'RSH [DPI]');
});

test('no port packet first, empty user, trailing bytes, other port: not RSH', async () => {
  for (const [port, turns] of [
    [514, [ascii('lns\0root\0ls\0')]],
    [514, [ascii('1022\0'), ascii('\0root\0ls\0')]],
    [514, [ascii('1022\0'), ascii('a\0b\0ls\0x')]],
    [515, [ascii('1022\0'), ascii('a\0b\0ls\0')]],
  ] as const) {
    const f = await tcpConversation(1023, port, turns as never);
    assert.notEqual(proto(f), 'RSH [DPI]', `${port} ${JSON.stringify(turns)}`);
  }
});

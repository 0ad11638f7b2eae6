// FlowEvent.summary() and FlowEvent.values() (runtime/flow.ts), read straight from the event's
// record, against the flow object of the same event: every field must agree, on every event of a
// set of dev captures (IPv4 and IPv6, VLAN, tunnels, risks with their text, every link type of
// the set).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { analyzeFile } from '../../adapters/node/engine.ts';
import { summaryOf, valuesOf } from '../../runtime/flow.ts';
import type { FlowEvent, FlowSummary, FlowValues } from '../../runtime/types.ts';
import { PCAPS_DIR, listCaptures } from '../conformance-report.ts';

const CAPTURES = ['1kxun.pcap', 'dns.pcap', 'quic-33.pcapng', 'gre.pcapng', 'ssh.pcap', 'KakaoTalk_chat.pcap', 'http_ipv6.pcap', 'synscan.pcap'];

/** The numeric IPv4 address of a dotted quad, -1 otherwise. */
function v4(text: string): number {
  const parts = text.split('.');
  return parts.length === 4 ? parts.reduce((n, p) => n * 256 + Number(p), 0) : -1;
}

/**
 * Walks every event but flow_created of the captures; `check` returns a mismatch description or
 * null. Fails on the first mismatches of a capture, and when too few events were compared.
 */
async function compareEvents(what: string, check: (event: FlowEvent) => string | null): Promise<void> {
  if (!existsSync(PCAPS_DIR)) assert.fail(`shared corpus missing: ${PCAPS_DIR}`);
  const captures = listCaptures(['dev']).filter((c) => CAPTURES.includes(c.name));
  assert.equal(captures.length, CAPTURES.length, 'captures missing from dev');
  let compared = 0;
  for (const capture of captures) {
    const mismatches: string[] = [];
    await analyzeFile(capture.path, {
      engine: (engine) => {
        engine.onEvent = (event) => {
          if (event.kind === 'flow_created') return;
          const mismatch = check(event);
          if (mismatch !== null) mismatches.push(`${event.kind} ${event.serial}: ${mismatch}`);
          compared++;
        };
      },
    });
    assert.deepEqual(mismatches.slice(0, 3), [], `${capture.name}: ${what} differ from the flow object`);
  }
  assert.ok(compared > 2000, `only ${compared} events compared`);
}

test('summary() equals the flow object of the same event, field by field', async () => {
  let withRiskText = 0, v6 = 0;
  await compareEvents('summaries', (event) => {
    assert.ok(event.summary !== undefined, 'engine events have summary()');
    const fromRecord: FlowSummary = event.summary();
    const expected = { ...summaryOf(event.flow), cliV4: v4(event.flow['cli.ip']), srvV4: v4(event.flow['srv.ip']) };
    if (fromRecord.riskInfo !== '') withRiskText++;
    if (fromRecord.ipVersion === 6) v6++;
    // Field by field: the record's summary formats its IPv4 texts in getters.
    const actual: Record<string, unknown> = {};
    for (const key of Object.keys(expected)) actual[key] = fromRecord[key as keyof FlowSummary];
    try {
      assert.deepEqual(actual, expected);
      return null;
    } catch {
      return `${JSON.stringify(fromRecord)} vs ${JSON.stringify(expected)}`;
    }
  });
  assert.ok(withRiskText > 0 && v6 > 0, `risk texts ${withRiskText}, IPv6 events ${v6}`);
});

test('values() equals the numbers of the flow object of the same event', async () => {
  let withRisks = 0, v6 = 0;
  await compareEvents('values', (event) => {
    assert.ok(event.values !== undefined, 'engine events have values()');
    // A dirty object first: every field must be written.
    const actual = Object.fromEntries(Object.keys(valuesTemplate()).map((k) => [k, Symbol(k)])) as unknown as FlowValues;
    event.values(actual);
    const expected = valuesTemplate();
    valuesOf({ ...summaryOf(event.flow), cliV4: v4(event.flow['cli.ip']), srvV4: v4(event.flow['srv.ip']) }, expected);
    // The flow object's own risk list, not the summary's.
    const risks = event.flow.flow_risk ?? [];
    expected.riskCount = risks.length;
    expected.malwareHostRisk = risks.includes(53); // NDPI_MALWARE_HOST_CONTACTED
    if (actual.riskCount > 1) withRisks++;
    if (actual.cliV4 === -1) v6++;
    try {
      assert.deepEqual({ ...actual }, expected);
      return null;
    } catch {
      return `${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`;
    }
  });
  assert.ok(withRisks > 0 && v6 > 0, `events with several risks ${withRisks}, IPv6 events ${v6}`);
});

function valuesTemplate(): FlowValues {
  return {
    cliV4: 0, srvV4: 0, cliPort: 0, srvPort: 0, l4: 0, vlan: 0, c2sPackets: 0, s2cPackets: 0, c2sBytes: 0, s2cBytes: 0,
    twhOk: false, master: 0, app: 0, protoName: '', categoryId: 0, riskCount: 0, malwareHostRisk: false, lastSeenUs: 0,
  };
}

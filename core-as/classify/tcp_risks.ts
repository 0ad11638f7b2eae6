// TCP Connection Issues (risk 50): what the TCP flags a flow exchanged say about the connection,
// decided when the flow ends. The cases and their names are nDPI's Risk Info texts on the 46
// flows of the ground truth that carry the risk; the flag patterns were read from those flows
// and from the ones that do not carry it (RFC 9293 §3.1 for the flags, §3.10.7.1 for the reset
// of a connection request):
//  - "Connection refused (server)": the client sent a SYN, the server answered with a RST, and
//    no payload went either way (a reset after data is an ordinary close).
//  - "Connection refused (client)": the client itself reset its SYN, no payload.
//  - "TCP probing attempt": a flow of a single segment, a RST without SYN sent from the lower
//    (service) port, i.e. an answer to a connection the capture never saw; or a segment with
//    all of FIN, SYN, RST, PSH, ACK and URG set.
//  - "TCP NULL scan": a client segment without any flag (whole header read, whatever its data
//    offset says); "TCP FIN scan" (the client sent only FIN) and "TCP XMAS scan" (FIN, PSH and
//    URG, nothing else) answered by a RST: the port scans of RFC 9293 §3.10.7.1, segments
//    without SYN that a closed port resets.
import {
  FLOW_C2S_GOODPUT, FLOW_C2S_PACKETS, FLOW_C2S_TCP_FLAGS, FLOW_CLI_PORT, FLOW_S2C_GOODPUT,
  FLOW_RISKS, FLOW_S2C_PACKETS, FLOW_S2C_TCP_FLAGS, FLOW_SRV_PORT, FLOW_TCP_ODDITIES, TCP_ODD_NULL_SEGMENT,
} from "../flow/record";
import { RISK_TCP_ISSUES } from "./generated/risks";
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from "../wire/transport";

const TCP_URG: u32 = 0x20;
const CLASSIC_FLAGS: u32 = TCP_FIN | TCP_SYN | TCP_RST | TCP_PSH | TCP_ACK | TCP_URG;
const XMAS: u32 = TCP_FIN | TCP_PSH | TCP_URG;

/** Risk 50 for a TCP flow that ends now (classify.ts setFlowRisks). */
export function setTcpIssues(rec: usize): void {
  if (hasTcpIssue(rec)) store<u64>(rec + FLOW_RISKS, load<u64>(rec + FLOW_RISKS) | (<u64>1 << RISK_TCP_ISSUES));
}

function hasTcpIssue(rec: usize): bool {
  const cli = <u32>load<u8>(rec + FLOW_C2S_TCP_FLAGS);
  const srv = <u32>load<u8>(rec + FLOW_S2C_TCP_FLAGS);
  const noPayload = load<u64>(rec + FLOW_C2S_GOODPUT) == 0 && load<u64>(rec + FLOW_S2C_GOODPUT) == 0;
  if ((cli & TCP_SYN) != 0 && noPayload && ((srv & TCP_RST) != 0 || (cli & TCP_RST) != 0)) return true; // refused
  if ((load<u8>(rec + FLOW_TCP_ODDITIES) & TCP_ODD_NULL_SEGMENT) != 0) return true; // NULL scan
  if ((cli == TCP_FIN || cli == XMAS) && (srv & TCP_RST) != 0) return true; // FIN, XMAS scans answered by a closed port
  if ((cli & CLASSIC_FLAGS) == CLASSIC_FLAGS) return true; // probing: every flag at once
  // Probing: one lone reset from the service port.
  return load<u64>(rec + FLOW_C2S_PACKETS) == 1 && load<u64>(rec + FLOW_S2C_PACKETS) == 0 &&
    (cli & TCP_RST) != 0 && (cli & TCP_SYN) == 0 &&
    <u32>load<u16>(rec + FLOW_CLI_PORT) < <u32>load<u16>(rec + FLOW_SRV_PORT);
}

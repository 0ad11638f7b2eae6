// STARTTLS (FTP's AUTH TLS, RFC 4217 §4; IMAP's STARTTLS, RFC 9051 §6.2.1; POP3's STLS,
// RFC 2595 §4; SMTP's STARTTLS, RFC 3207 §4): once the server has accepted, the next bytes
// of the connection are a TLS handshake. The text dissector has already named the flow after
// the secure variant (FTPS, IMAPS, POPS, SMTPS, as nDPI does) and hands it to the TLS
// dissector, which reads the handshake (SNI, JA3/JA4, certificate) from a clean state.
import { FLOW_DISSECTOR, FLOW_DISSECTOR_STATE, FLOW_DISSECTOR_STATE_SIZE } from "../flow/record";
import { DISSECTOR_TLS } from "./registry";

/** The flow's later packets go to the TLS dissector, which starts from a zeroed state. */
export function handOffToTls(rec: usize): void {
  memory.fill(rec + FLOW_DISSECTOR_STATE, 0, FLOW_DISSECTOR_STATE_SIZE);
  store<u8>(rec + FLOW_DISSECTOR, <u8>DISSECTOR_TLS);
}

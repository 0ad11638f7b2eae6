// nDPI names a VPN tunnel after the provider when the server's address is in that provider's
// list (ip_lists.json: NordVPN, Mullvad, ...): OpenVPN.NordVPN, WireGuard.Mullvad. Only lists of
// the VPN category count: a tunnel to a cloud address stays plain OpenVPN in its results.
import { FLOW_IP_PROTO } from "../flow/record";
import { setDetected } from "../classify/classify";
import { CATEGORY_VPN, protoCategory } from "../classify/generated/protocols";

/** setDetected for a VPN protocol, with the provider from the server address as the application. */
export function setVpnDetected(rec: usize, master: u32): void {
  const byAddress = <u32>load<u16>(rec + FLOW_IP_PROTO);
  const provider = byAddress != 0 && <u32>protoCategory(byAddress) == <u32>CATEGORY_VPN ? byAddress : 0;
  setDetected(rec, master, provider);
}

// Metadata field ids (dissect/meta.ts). The runtime discovers them by prefix (META_STR_, META_NUM_)
// and maps each to ntopng's Flow::lua key (runtime/flow.ts).

// String fields. The runtime maps each to ntopng's Flow::lua key names.
export const META_STR_HOST: u32 = 0;            // host_server_name: SNI, HTTP Host, DNS query...
export const META_STR_INFO: u32 = 1;            // nDPI's unnamed info field (DNS first answer...)
export const META_STR_URL: u32 = 2;             // HTTP host + path, as nDPI prints URL
export const META_STR_HTTP_METHOD: u32 = 3;
export const META_STR_USER_AGENT: u32 = 4;
export const META_STR_HTTP_SERVER: u32 = 5;
export const META_STR_CONTENT_TYPE: u32 = 6;
export const META_STR_REQ_CONTENT_TYPE: u32 = 7;
export const META_STR_TLS_ALPN: u32 = 8;        // advertised ALPNs, ';' separated
export const META_STR_TLS_VERSIONS: u32 = 9;    // supported_versions, ';' separated names
export const META_STR_JA3C: u32 = 10;
export const META_STR_JA3S: u32 = 11;
export const META_STR_JA4: u32 = 12;
export const META_STR_TLS_ISSUER: u32 = 13;
export const META_STR_TLS_SUBJECT: u32 = 14;
export const META_STR_TLS_SERVER_NAMES: u32 = 15; // certificate SANs, ',' separated
export const META_STR_SSH_CLIENT: u32 = 16;
export const META_STR_SSH_SERVER: u32 = 17;
export const META_STR_HASSH_C: u32 = 18;
export const META_STR_HASSH_S: u32 = 19;
export const META_STR_TLS_NEGOTIATED_ALPN: u32 = 20;
export const META_STR_RISK_INFO: u32 = 21;
export const META_STR_DHCP_FINGERPRINT: u32 = 22;
export const META_STR_DHCP_CLASS: u32 = 23;
export const META_STR_BT_HASH: u32 = 24;
export const META_STR_QUIC_VERSION: u32 = 25;    // nDPI's name of the QUIC version (V-1, Draft-29, Q046...)
export const META_STR_USER: u32 = 26;          // clear-text user name (FTP, IMAP, POP3), nDPI's [User: ]
export const META_STR_PASSWORD: u32 = 27;      // its password, nDPI's [Pwd: ]
export const META_STR_STUN_MAPPED: u32 = 28;   // STUN (XOR-)MAPPED-ADDRESS "ip:port", nDPI's [Mapped IP/Port]
export const META_STRINGS: u32 = 32;

// Numeric fields.
export const META_NUM_DNS_QUERY_TYPE: u32 = 0;
export const META_NUM_DNS_RCODE: u32 = 1;       // +1, so 0 means "no response seen"
export const META_NUM_HTTP_STATUS: u32 = 2;
export const META_NUM_TLS_VERSION: u32 = 3;     // the version nDPI records (ServerHello's, else ClientHello's)
export const META_NUM_TLS_CIPHER: u32 = 4;
export const META_NUM_QUIC_VERSION: u32 = 5;
export const META_NUM_CERT_NOT_BEFORE: u32 = 6; // epoch seconds
export const META_NUM_CERT_NOT_AFTER: u32 = 7;
export const META_NUM_DNS_INVALID_CHARS: u32 = 8;
export const META_NUM_STREAM_CONTENT: u32 = 9; // RTP payload kind, nDPI's [Stream Content]: 1 audio, 2 video
export const META_NUMBERS: u32 = 16;


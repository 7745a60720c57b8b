/**
 * Mock BMC speaking IPMI over LAN (UDP): v1.5 (`ipmitool -I lan`) and v2.0/RMCP+ (`-I lanplus`, cipher suites
 * 3 and 17). See server.ts for the entry point and harness/serve/INTEROP-SERVE.md for the wire
 * format.
 */
export { startIpmiServer, type IpmiServer, type IpmiServerOptions } from './server.js';
export { CIPHER_SUITES, DEFAULT_CIPHER_SUITES, type CipherSuite } from './cipher-suites.js';

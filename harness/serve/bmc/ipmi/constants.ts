/**
 * Byte values of IPMI over LAN that more than one module needs. Names follow the IPMI 2.0 specification and
 * ipmitool's headers so a reader can grep either for them (ipmitool's include/ipmitool/ipmi_constants.h and ipmi_intf.h).
 */

/** RMCP message classes (byte 3 of every datagram). */
export const RmcpClass = { asf: 0x06, ipmi: 0x07 } as const;

/** Session header auth type / format byte (byte 4 of an IPMI-class datagram). */
export const AuthType = { none: 0x00, md2: 0x01, md5: 0x02, password: 0x04, oem: 0x05, rmcpPlus: 0x06 } as const;
export type V15AuthType = typeof AuthType.none | typeof AuthType.md5 | typeof AuthType.password;

/** RMCP+ payload types (low 6 bits of header byte 5). */
export const PayloadType = {
  ipmi: 0x00,
  openSessionRequest: 0x10,
  openSessionResponse: 0x11,
  rakp1: 0x12,
  rakp2: 0x13,
  rakp3: 0x14,
  rakp4: 0x15,
} as const;

/** Bits of header byte 5 saying the payload is encrypted / carries an integrity trailer. */
export const PAYLOAD_ENCRYPTED = 0x80;
export const PAYLOAD_AUTHENTICATED = 0x40;

export const NetFn = { chassis: 0x00, app: 0x06, groupExt: 0x2c } as const;

export const AppCmd = {
  getDeviceId: 0x01,
  getChannelAuthCaps: 0x38,
  getSessionChallenge: 0x39,
  activateSession: 0x3a,
  setSessionPrivilege: 0x3b,
  closeSession: 0x3c,
  getChannelCipherSuites: 0x54,
} as const;

export const ChassisCmd = { getStatus: 0x01, control: 0x02 } as const;

/** Completion codes used by this BMC. */
export const Cc = {
  ok: 0x00,
  nodeBusy: 0xc0,
  invalidCommand: 0xc1,
  requestDataLengthInvalid: 0xc7,
  invalidDataField: 0xcc,
  insufficientPrivilege: 0xd4,
  notSupportedInPresentState: 0xd5,
  unspecified: 0xff,
  /** Get Session Challenge: invalid user name. Set Session Privilege: level exceeds limit. */
  x81: 0x81,
  /** Get Session Challenge: null user name not enabled. */
  x82: 0x82,
  /** Activate Session: requested privilege level exceeds limit. */
  activateInvalidPriv: 0x86,
  /** Close Session: invalid session ID. */
  invalidSessionId: 0x87,
} as const;

/** RMCP+ status codes in Open Session Response and RAKP 2/4. */
export const RmcpStatus = {
  ok: 0x00,
  insufficientResources: 0x01,
  invalidSessionId: 0x02,
  invalidRole: 0x09,
  unauthorizedName: 0x0d,
  invalidIntegrityCheck: 0x0f,
  noCipherSuiteMatch: 0x11,
  illegalParameter: 0x12,
} as const;

/** Privilege levels (IPMI 2.0 table 22-28). */
export const Priv = { callback: 1, user: 2, operator: 3, administrator: 4 } as const;

/** Addresses used in the IPMI message header: the BMC's slave address and ipmitool's software ID. */
export const BMC_SLAVE_ADDR = 0x20;

/** The one LAN channel of this BMC, and the "this channel" alias clients send. */
export const LAN_CHANNEL = 0x01;
export const CURRENT_CHANNEL = 0x0e;

/** Largest datagram any legitimate client sends us; anything bigger is dropped unread. */
export const MAX_DATAGRAM_BYTES = 1024;

/**
 * The RMCP+ console of the tests of the mock BMC: the lanplus client `ihasim inject` uses
 * (harness/bmc-client/lanplus-client.ts), with the served BMC's default credentials.
 */
import { LanplusClient, type LanplusOptions } from '../../harness/bmc-client/lanplus-client.js';

export type TestClientOptions = Omit<LanplusOptions, 'username' | 'password'> & { username?: string; password?: string };

export class IpmiTestClient extends LanplusClient {
  constructor(opts: TestClientOptions) {
    super({ ...opts, username: opts.username ?? 'admin', password: opts.password ?? 'password' });
  }
}

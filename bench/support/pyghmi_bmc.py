#!/usr/bin/python3
"""Reference BMC for bench/ipmi-bench.ts: pyghmi's lanplus server (as VirtualBMC uses it) with an in-memory
power state. Usage: /usr/bin/python3 pyghmi_bmc.py PORT [USER PASSWORD]. Needs Debian's python3-pyghmi.
Prints "ready" on stdout once the socket is bound."""
import sys

import pyghmi.ipmi.bmc as bmc


class MemoryBmc(bmc.Bmc):
    """pyghmi's Bmc with power kept in memory; every action answers at once, like the ihasim mock."""

    def __init__(self, authdata, port):
        super().__init__(authdata, port=port, address='127.0.0.1')
        self.power = 'on'

    def get_power_state(self):
        return self.power

    def power_off(self):
        self.power = 'off'

    def power_on(self):
        self.power = 'on'

    def power_cycle(self):
        self.power = 'on'

    def power_reset(self):
        pass

    def power_shutdown(self):
        self.power = 'off'

    def pulse_diag(self):
        pass


def main():
    port = int(sys.argv[1])
    user = sys.argv[2] if len(sys.argv) > 2 else 'admin'
    password = sys.argv[3] if len(sys.argv) > 3 else 'password'
    server = MemoryBmc({user: password}, port)
    print('ready', flush=True)
    server.listen(timeout=30)


if __name__ == '__main__':
    main()

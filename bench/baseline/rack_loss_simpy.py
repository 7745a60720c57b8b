"""The baseline a planner would write by hand: a crude SimPy model of the 16-host rack-loss scenario.

2 racks of 8 hosts, 20 VMs per host, rack r1 loses power at 5 min; Pacemaker-style detection (monitor tick +
timeout), power fencing, force-down, NovaEvacuate polling every 10 s, one evacuate API call per VM, rebuild and
guest boot on a surviving host. No Nova services, no scheduler capacity, no invariants: just the timeline.
Usage: /usr/bin/python3 rack_loss_simpy.py [seconds]  -> prints seeds/s (Debian's python3-simpy).
"""
import math
import random
import sys
import time

import simpy

HOSTS, PER_HOST, RACK = 16, 20, 8
FAIL_AT, MONITOR_INTERVAL, MONITOR_TIMEOUT, POLL = 300.0, 20.0, 30.0, 10.0


def lognormal(rng, median, p99):
    mu = math.log(median)
    sigma = (math.log(p99) - mu) / 2.3263478740408408
    return rng.lognormvariate(mu, sigma)


def run_seed(seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    flagged = simpy.Store(env)
    api = simpy.Resource(env, capacity=8)
    downtimes = []

    def vm(failed_at):
        with api.request() as req:
            yield req
            yield env.timeout(rng.uniform(0.05, 0.25))
        yield env.timeout(rng.uniform(2, 6))
        yield env.timeout(lognormal(rng, 30, 90))
        downtimes.append(env.now - failed_at)

    def host(index):
        phase = rng.uniform(0, MONITOR_INTERVAL)
        yield env.timeout(FAIL_AT)
        if index >= RACK:
            return
        tick = phase + math.ceil((env.now - phase) / MONITOR_INTERVAL) * MONITOR_INTERVAL
        yield env.timeout(tick - env.now + MONITOR_TIMEOUT)
        yield env.timeout(rng.uniform(0.1, 0.5))  # power status says off
        yield env.timeout(rng.uniform(0.1, 0.5))  # force-down and disable
        yield flagged.put(index)

    def nova_evacuate():
        while True:
            index = yield flagged.get()
            yield env.timeout(POLL - env.now % POLL)
            for _ in range(PER_HOST):
                env.process(vm(FAIL_AT))

    for i in range(HOSTS):
        env.process(host(i))
    env.process(nova_evacuate())
    env.run(until=45 * 60)
    return len(downtimes)


def main():
    budget = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    for s in range(20):
        run_seed(s)
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < budget:
        assert run_seed(1000 + n) == RACK * PER_HOST
        n += 1
    print(f"{n / (time.perf_counter() - start):.1f}")


if __name__ == "__main__":
    main()

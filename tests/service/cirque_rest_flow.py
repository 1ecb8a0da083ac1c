#!/usr/bin/env python3
"""Cirque's example client flow, against `cirque serve`, over its REST API.

What a Cirque user's harness (Matter's CI, for one) does, with requests:
create a home, list homes and devices, form a Thread network and ping
across it with ot-ctl through device_cmd, read a device's log, destroy the
home; with --wifi also find the access point's SSID from wifi_ssid_psk,
scan for it, provision the stations, get DHCP leases and ping the AP, all
through device_cmd (that part needs mac80211_hwsim: the VM tier).

Usage: cirque_rest_flow.py CIRQUE_BINARY [--wifi]
Writes a JUnit report to $XML_OUTPUT_FILE (Bazel's), one case per flow: a
case the engine cannot run (HTTP 412, a missing feature) is skipped with
the service's reason, or fails when CIRQUE_REQUIRE_FEATURES names it.
"""
import http.client
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.parse
from xml.sax.saxutils import escape, quoteattr

import requests

# The whole start, to "listening on": past the engine client's 120 s limit
# on one request, so that a stalled engine call ends in the service's own
# error rather than in silence. Under the host tier's load a start took
# over 30 s once (the engine slow to answer a list call, most likely); the
# lines' times below say where a slow start spends it.
SERVICE_START_DEADLINE_S = 150
CREATE_DEADLINE_S = 300


class Skip(Exception):
    """The engine lacks what this flow needs."""


class Service:
    """`cirque serve` on a free loopback port, stopped with SIGTERM."""

    def __init__(self, binary, *extra):
        self.binary = binary
        self.http = requests.Session()
        self._start(extra)

    def _start(self, extra):
        self.process = subprocess.Popen([self.binary, "serve", "--listen", "127.0.0.1:0"] + list(extra),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        marker = "listening on http://"
        self.said = []
        started = time.monotonic()
        while not self.said or marker not in self.said[-1]:
            line = self._read_line(max(0.1, SERVICE_START_DEADLINE_S - (time.monotonic() - started)))
            if not line:
                raise AssertionError("cirque serve exited before it listened: " + "".join(self.said))
            self.said.append(line)
            sys.stderr.write("%.1f s: %s" % (time.monotonic() - started, line))
        self.base = "http://" + self.said[-1].split(marker, 1)[1].split()[0]

    def restart_after_kill(self, *extra):
        """SIGKILLs the service (no clean-up at all) and starts it again."""
        self.process.kill()
        self.process.wait(timeout=30)
        self._start(extra)

    def _read_line(self, deadline_s):
        ready, _, _ = select.select([self.process.stdout], [], [], deadline_s)
        if not ready:
            raise AssertionError("cirque serve did not say it listened within %d s; it said: %s" %
                                 (SERVICE_START_DEADLINE_S, "".join(self.said)))
        return self.process.stdout.readline()

    def get(self, path, status=200, **params):
        reply = self.http.get(self.base + path, params=params, timeout=CREATE_DEADLINE_S)
        assert reply.status_code == status, "GET %s: %d %s" % (path, reply.status_code, reply.text)
        return reply

    def cmd(self, home, device, command, deadline_s=60):
        """Runs `command` (one string, split by the service like shlex) in a device."""
        path = "/device_cmd/%s/%s/%s" % (home, device, urllib.parse.quote(command, safe=""))
        reply = self.http.get(self.base + path, params={"stream": "False"}, timeout=deadline_s)
        assert reply.status_code == 200, "%s: %d %s" % (command, reply.status_code, reply.text)
        result = reply.json()
        return int(result["return_code"]), result["output"]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=120)
        output = "".join(self.said) + output
        assert self.process.returncode == 0, "cirque serve exited %d: %s" % (self.process.returncode, output)
        return output


def engine_labelled(label):
    """Containers on the engine (DOCKER_HOST or the local socket) carrying `label`."""
    query = "/containers/json?all=1&filters=" + urllib.parse.quote(json.dumps({"label": [label]}))
    host = os.environ.get("DOCKER_HOST", "")
    if host.startswith("tcp://"):
        connection = http.client.HTTPConnection(host[len("tcp://"):], timeout=30)
    else:
        connection = http.client.HTTPConnection("localhost", timeout=30)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(host[len("unix://"):] if host.startswith("unix://") else "/var/run/docker.sock")
        connection.sock = sock
    connection.request("GET", query)
    return json.loads(connection.getresponse().read())


def poll(what, deadline_s, probe):
    """Calls probe() until it returns something true; fails naming `what`."""
    end = time.monotonic() + deadline_s
    last = None
    while time.monotonic() < end:
        last = probe()
        if last and last[0]:
            return last
        time.sleep(0.2)
    raise AssertionError("%s: not within %d s; last: %r" % (what, deadline_s, last))


def create_home(service, spec):
    reply = service.http.post(service.base + "/create_home", json=spec, timeout=CREATE_DEADLINE_S)
    if reply.status_code == 412:
        raise Skip(reply.json()["message"])
    assert reply.status_code == 200, "create_home: %d %s" % (reply.status_code, reply.text)
    home = reply.json()
    assert isinstance(home, str) and home, reply.text
    return home


def thread_network(service, home, leader, joiner):
    """Forms a network on `leader`, joins `joiner`, pings both ways over the mesh."""
    for command in ("ot-ctl dataset init new", "ot-ctl dataset commit active", "ot-ctl ifconfig up",
                    "ot-ctl thread start"):
        code, output = service.cmd(home, leader, command)
        assert code == 0 and "Done" in output, "%s: %d %s" % (command, code, output)
    poll("the leader's role", 30, lambda: ("leader" in service.cmd(home, leader, "ot-ctl state")[1], ))
    code, dataset = service.cmd(home, leader, "ot-ctl dataset active -x")
    dataset = dataset.split()[0]
    for command in ("ot-ctl dataset set active " + dataset, "ot-ctl ifconfig up", "ot-ctl thread start"):
        code, output = service.cmd(home, joiner, command)
        assert code == 0 and "Done" in output, "%s: %d %s" % (command, code, output)
    poll("the joiner attached", 30,
         lambda: (service.cmd(home, joiner, "ot-ctl state")[1].split()[0] in ("child", "router"), ))
    for source, target in ((joiner, leader), (leader, joiner)):
        address = service.cmd(home, target, "ot-ctl ipaddr mleid")[1].split()[0]
        poll("a ping from %s to %s's ML-EID %s" % (source, target, address), 30,
             lambda: (" 1 packets received" in service.cmd(home, source, "ot-ctl ping %s 16 1" % address)[1], ))


def wifi_provisioning(service, home, ap, stations):
    ssid, psk = service.get("/wifi_ssid_psk/" + home).json()
    assert ssid and psk
    ap_address = service.get("/device_state/%s/%s" % (home, ap)).json()["capability"]["WiFi"]["ipv4_addr"]
    cli = "wpa_cli -p /run/wpa_supplicant -i wlan0 "
    for station in stations:
        def scanned():
            service.cmd(home, station, cli + "scan")
            time.sleep(1)  # one scan's results come within about a second
            return (ssid in service.cmd(home, station, cli + "scan_results")[1], )
        poll("%s finds %s" % (station, ssid), 60, scanned)
        code, network = service.cmd(home, station, cli + "add_network")
        network = network.split()[-1]
        for command in ("set_network %s ssid '\"%s\"'" % (network, ssid), "set_network %s psk '\"%s\"'" % (network, psk),
                        "enable_network " + network):
            code, output = service.cmd(home, station, cli + command)
            assert code == 0 and "OK" in output, "%s: %s" % (command, output)
        poll("%s associated" % station, 60,
             lambda: ("wpa_state=COMPLETED" in service.cmd(home, station, cli + "status")[1], ))
        code, output = service.cmd(home, station, "timeout 60 dhclient -1 -v wlan0", deadline_s=90)
        assert code == 0, "dhclient: %d %s" % (code, output)
        poll("%s pings the AP %s" % (station, ap_address), 30,
             lambda: (service.cmd(home, station, "ping -c 1 -W 2 " + ap_address)[0] == 0, ))


def flow(service, wifi):
    nodes = {"node1": {"type": "thread", "capability": ["Thread", "Interactive"] + (["WiFi"] if wifi else [])},
             "node2": {"type": "thread", "capability": ["Thread", "Interactive"] + (["WiFi"] if wifi else [])}}
    if wifi:
        nodes["ap"] = {"type": "wifi_ap", "capability": ["WiFi"]}
    home = made = create_home(service, nodes)
    try:
        assert home in service.get("/get_homes").json()
        devices = service.get("/home_devices/" + home).json()
        assert len(devices) == len(nodes), devices
        by_name = {state["name"]: (device_id, state) for device_id, state in devices.items()}
        for name, spec in nodes.items():
            device_id, state = by_name[name]
            assert state["id"] == device_id and state["type"] == spec["type"], state
            assert set(spec["capability"]) <= set(state["capability"]), state
            assert state["description"]["ipv4_addr"], state
        node1 = by_name["node1"][0]
        assert service.get("/device_state/%s/%s" % (home, node1)).json()["name"] == "node1"
        assert service.get("/device_state/%s/nope" % home, status=404).json()["code"] == "not_found"

        thread_network(service, home, node1, by_name["node2"][0])
        if wifi:
            wifi_provisioning(service, home, by_name["ap"][0], [node1, by_name["node2"][0]])

        log = service.get("/device_log/%s/%s" % (home, node1), tail="5")
        assert log.headers["Content-Type"].startswith("text/plain"), log.headers
        assert service.get("/destroy_home/" + home).json() == home
        home = None
    finally:
        if home:
            service.http.get(service.base + "/destroy_home/" + home, timeout=CREATE_DEADLINE_S)
    assert service.get("/get_homes").json() == []
    return made


def concurrent_clients(service):
    """10 clients create homes at once; 50 commands run at once; a command
    races its home's deletion: every request gets a result or a clear JSON
    error, and the service goes on answering."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=50) as pool:
        made = list(pool.map(lambda i: create_home(service, {"n%d" % i: {"type": "generic"}}), range(10)))
        assert len(set(made)) == 10 and set(made) <= set(service.get("/get_homes").json())

        def run(i):
            path = "/device_cmd/%s/n%d/echo%%20%d" % (made[i % 10], i % 10, i)
            return service.http.get(service.base + path, timeout=120)
        replies = list(pool.map(run, range(50)))
        for i, reply in enumerate(replies):
            if reply.status_code == 200:
                assert reply.json() == {"return_code": "0", "output": "%d\n" % i}, reply.text
            else:  # over the service's cap on commands at once: refused, with the fix
                assert reply.status_code == 503 and "--max-execs" in reply.json()["message"], reply.text
        assert sum(r.status_code == 200 for r in replies) >= 32, [r.status_code for r in replies]

        victim = made.pop()
        racing = pool.submit(lambda: service.http.get(
            service.base + "/device_cmd/%s/n9/sleep%%203" % victim, timeout=120))
        time.sleep(0.5)  # the command is under way
        assert service.get("/destroy_home/" + victim).json() == victim
        raced = racing.result()
        assert raced.status_code in (200, 404, 409, 500) and raced.headers["Content-Type"] == "application/json", \
            raced.text
        if raced.status_code != 200:
            assert raced.json()["message"], raced.text
        for home in pool.map(lambda home: service.get("/destroy_home/" + home).json(), made):
            assert home
    assert service.get("/get_homes").json() == []
    return made + [victim]


def state_dir():
    """A fresh state folder for a service: what names its homes across restarts."""
    import tempfile
    return tempfile.mkdtemp(prefix="cq-state-", dir=os.environ.get("TEST_TMPDIR"))


def devices_of(service, home):
    return {state["name"]: device_id for device_id, state in service.get("/home_devices/" + home).json().items()}


def restart_adopts(service):
    """SIGKILL the service with two homes up (a Thread network formed in one,
    host firewall rules of an internal network in the other), start it again
    on the same state folder: both homes are listed under their ids with the
    same devices, and work as before: the mesh still pings, a Thread node
    added now joins it, the internal network still isolates."""
    thread_node = {"type": "thread", "capability": ["Thread", "Interactive"]}
    mesh = create_home(service, {"leader": thread_node, "joiner": thread_node})
    closed = create_home(service, {"a": {"type": "generic", "docker_network": "Internal"},
                                   "b": {"type": "generic", "docker_network": "Internal"}})
    homes = [mesh, closed]
    pending = list(homes)
    try:
        before = {home: devices_of(service, home) for home in homes}
        thread_network(service, mesh, before[mesh]["leader"], before[mesh]["joiner"])

        service.restart_after_kill("--state-dir", service.state_dir)
        said = "".join(service.said)
        for home in homes:
            assert "adopted home " + home in said, said
        assert sorted(service.get("/get_homes").json()) == sorted(homes)
        for home in homes:
            assert devices_of(service, home) == before[home], (home, devices_of(service, home), before[home])
        leader, joiner = before[mesh]["leader"], before[mesh]["joiner"]
        state = service.get("/device_state/%s/%s" % (mesh, leader)).json()
        assert state["capability"]["Thread"]["node_id"], state
        assert service.cmd(mesh, leader, "ot-ctl state")[1].split()[0] == "leader"
        address = service.cmd(mesh, leader, "ot-ctl ipaddr mleid")[1].split()[0]
        poll("a ping over the adopted mesh to " + address, 30,
             lambda: (" 1 packets received" in service.cmd(mesh, joiner, "ot-ctl ping %s 16 1" % address)[1], ))
        # A node added after the restart takes a free radio id and joins.
        reply = service.http.post(service.base + "/v1/homes/%s/nodes" % mesh, json={"nodes": {"late": thread_node}},
                                  timeout=CREATE_DEADLINE_S)
        assert reply.status_code in (200, 201), reply.text
        dataset = service.cmd(mesh, leader, "ot-ctl dataset active -x")[1].split()[0]
        for command in ("ot-ctl dataset set active " + dataset, "ot-ctl ifconfig up", "ot-ctl thread start"):
            code, output = service.cmd(mesh, "late", command)
            assert code == 0 and "Done" in output, "%s: %d %s" % (command, code, output)
        poll("the late node attached", 30,
             lambda: (service.cmd(mesh, "late", "ot-ctl state")[1].split()[0] in ("child", "router"), ))
        ids = {service.get("/device_state/%s/%s" % (mesh, name)).json()["capability"]["Thread"]["node_id"]
               for name in ("leader", "joiner", "late")}
        assert len(ids) == 3, ids
        # The internal network's guard rules came along: no way out.
        a_to_b = service.cmd(closed, before[closed]["a"], "ping -c 1 -W 2 b")[0]
        assert a_to_b == 0, "a no longer reaches b"
        outside = service.cmd(closed, before[closed]["a"], "ping -c 1 -W 1 1.1.1.1")[0]
        assert outside != 0, "the internal network reaches the outside after the restart"
        for home in homes:
            assert service.get("/destroy_home/" + home).json() == home
            pending.remove(home)
    finally:
        for home in pending:
            service.http.get(service.base + "/destroy_home/" + home, timeout=CREATE_DEADLINE_S)
    assert service.get("/get_homes").json() == []
    return homes


def restart_adopts_wifi(service):
    """SIGKILL the service with a WiFi home up (a station provisioned and
    leased through the AP), start it again: the AP's SSID and generated
    passphrase are still what wifi_ssid_psk answers, the station still pings
    the AP, and a station added now hears the AP's radio and joins."""
    home = create_home(service, {"ap": {"type": "wifi_ap", "capability": ["WiFi"]},
                                 "sta": {"type": "wifi_station", "capability": ["WiFi"]}})
    pending = [home]
    try:
        devices = devices_of(service, home)
        wifi_provisioning(service, home, devices["ap"], [devices["sta"]])
        ssid_psk = service.get("/wifi_ssid_psk/" + home).json()

        service.restart_after_kill("--state-dir", service.state_dir)
        assert "adopted home " + home in "".join(service.said), service.said
        assert devices_of(service, home) == devices
        assert service.get("/wifi_ssid_psk/" + home).json() == ssid_psk
        ap_address = service.get("/device_state/%s/%s" % (home, devices["ap"])).json()["capability"]["WiFi"]["ipv4_addr"]
        poll("the station pings the AP %s after the restart" % ap_address, 30,
             lambda: (service.cmd(home, devices["sta"], "ping -c 1 -W 2 " + ap_address)[0] == 0, ))
        reply = service.http.post(service.base + "/v1/homes/%s/nodes" % home,
                                  json={"nodes": {"late": {"type": "wifi_station", "capability": ["WiFi"]}}},
                                  timeout=CREATE_DEADLINE_S)
        assert reply.status_code in (200, 201), reply.text
        wifi_provisioning(service, home, devices["ap"], ["late"])
        assert service.get("/destroy_home/" + home).json() == home
        pending = []
    finally:
        for left in pending:
            service.http.get(service.base + "/destroy_home/" + left, timeout=CREATE_DEADLINE_S)
    return [home]


def restart_reaps(service):
    """SIGKILL the service with two homes up, start it again with --reap:
    no home is listed, and nothing of either is left on the engine."""
    homes = [create_home(service, {"n1": {"type": "generic"}, "n2": {"type": "generic", "docker_network": "Internal"}}),
             create_home(service, {"m1": {"type": "generic"}})]
    service.restart_after_kill("--state-dir", service.state_dir, "--reap")
    said = "".join(service.said)
    for home in homes:
        assert "removed home " + home in said, said
        left = [c["Names"] for c in engine_labelled("cirque.home=" + home)]
        assert not left, "containers of home %s left after --reap: %s" % (home, left)
    assert service.get("/get_homes").json() == []
    return homes


def required_features():
    return set(filter(None, os.environ.get("CIRQUE_REQUIRE_FEATURES", "").split(",")))


def run_case(binary, name, needed, body):
    """Runs body(service) against a fresh service; returns (outcome, message, seconds)."""
    start = time.monotonic()
    outcome, message = "passed", ""
    service = None
    try:
        folder = state_dir()
        service = Service(binary, "--state-dir", folder)
        service.state_dir = folder
        homes = body(service)
        output = service.stop()
        service = None
        assert "homes destroyed" in output, output
        for home in homes:
            left = [c["Names"] for c in engine_labelled("cirque.home=" + home)]
            assert not left, "containers of home %s left behind: %s" % (home, left)
    except Skip as skip:
        outcome, message = "skipped", str(skip)
        if needed & required_features():
            outcome, message = "failed", "required (CIRQUE_REQUIRE_FEATURES) but: " + message
    except Exception:  # the report says what failed; the exit code fails the test
        outcome, message = "failed", traceback.format_exc()
    finally:
        if service:
            service.process.kill()
    seconds = time.monotonic() - start
    print("CirqueRestFlow.%s: %s in %.1f s%s" % (name, outcome, seconds, ("\n" + message) if message else ""))
    return name, outcome, message, seconds


def main():
    binary, wifi = sys.argv[1], "--wifi" in sys.argv[2:]
    if wifi:
        cases = [("WifiAndThreadDevices", {"thread", "hwsim"}, lambda service: [flow(service, True)]),
                 ("RestartAdoptsWifiHome", {"hwsim"}, restart_adopts_wifi)]
    else:
        cases = [("ThreadDevices", {"thread"}, lambda service: [flow(service, False)]),
                 ("ConcurrentClients", set(), concurrent_clients),
                 ("RestartAdoptsHomes", {"thread"}, restart_adopts),
                 ("RestartReapsHomes", set(), restart_reaps)]
    results = [run_case(binary, *case) for case in cases]
    report = os.environ.get("XML_OUTPUT_FILE")
    if report:
        with open(report, "w") as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="CirqueRestFlow" '
                      'tests="%d">' % len(results))
            for name, outcome, message, seconds in results:
                child = {"passed": "", "skipped": "<skipped message=%s/>" % quoteattr(message),
                         "failed": "<failure message=%s>%s</failure>" % (quoteattr(message[:200]), escape(message))}
                out.write('<testcase name="%s" classname="CirqueRestFlow" time="%.1f">%s</testcase>'
                          % (name, seconds, child[outcome]))
            out.write("</testsuite></testsuites>\n")
    return 1 if any(outcome == "failed" for _, outcome, _, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())

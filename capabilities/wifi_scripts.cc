#include "capabilities/wifi_scripts.h"

#include <algorithm>

namespace cirque::capabilities {

// Shared by the scripts: a deadline in whole seconds from now, and the wait
// between polls inside the node.
#define CIRQUE_WIFI_SCRIPT_PRELUDE \
  "set -u\n"                       \
  "deadline_at() { echo $(( $(date +%s) + $1 )); }\n"

const char* const kApUpScript = CIRQUE_WIFI_SCRIPT_PRELUDE R"sh(
phy=$1 address=$2 config=$3 wait_s=$4 range_start=$5 range_end=$6 mode=$7 subnet=$8
fail() { echo "$1" >&2; echo "--- hostapd log ends:" >&2; tail -n 10 /var/log/cirque-hostapd.log >&2 2>/dev/null; exit 3; }
end=$(deadline_at "$wait_s")
# The capture starts first, so it holds the AP's whole life.
iw phy "$phy" interface add cqmon0 type monitor || fail "adding monitor interface cqmon0 to $phy failed"
ip link set cqmon0 up || fail "raising cqmon0 failed"
tcpdump -i cqmon0 -U -w /var/log/cirque-wlan.pcap </dev/null >/dev/null 2>&1 &
if [ "$mode" = bridge ]; then
  # eth0's address and the default route move to br0, which hostapd joins
  # wlan0 to: stations are on the home's wired network.
  gateway=$(ip -4 route show default | awk '{print $3; exit}')
  ip link add br0 type bridge || fail "making br0 failed"
  ip addr flush dev eth0 && ip link set eth0 master br0 && ip link set br0 up \
    && ip addr add "$address" dev br0 || fail "moving eth0 into br0 failed"
  if [ -n "$gateway" ]; then ip route replace default via "$gateway" dev br0 || fail "default route via br0 failed"; fi
  dhcp_if=br0
  router=$gateway
else
  ip addr add "$address" dev wlan0 || fail "addressing wlan0 with $address failed"
  dhcp_if=wlan0
  router=${address%/*}
fi
umask 077
printf '%s' "$config" > /etc/hostapd/cirque.conf
umask 022
hostapd -f /var/log/cirque-hostapd.log /etc/hostapd/cirque.conf </dev/null >/dev/null 2>&1 &
state=
while :; do
  status=$(hostapd_cli -p /run/hostapd -i wlan0 status 2>/dev/null)
  state=$(printf '%s\n' "$status" | sed -n 's/^state=//p')
  [ "$state" = ENABLED ] && break
  [ "$(date +%s)" -ge "$end" ] && fail "hostapd not enabled within $wait_s s (state '$state')"
  sleep 0.1
done
dnsmasq --keep-in-foreground --no-resolv --no-hosts --port=0 --no-ping --interface="$dhcp_if" \
  --bind-interfaces --dhcp-range="$range_start,$range_end,255.255.255.0,1h" \
  --dhcp-option=option:router,"$router" --dhcp-leasefile=/run/cirque-dnsmasq.leases \
  --log-dhcp --log-facility=/var/log/cirque-dnsmasq.log </dev/null >/dev/null 2>&1 &
until ss -Hlun sport = :67 | grep -q ':67'; do
  [ "$(date +%s)" -ge "$end" ] && fail "dnsmasq not listening on UDP 67 within $wait_s s: $(tail -n 3 /var/log/cirque-dnsmasq.log 2>/dev/null)"
  sleep 0.1
done
if [ "$mode" = router ]; then
  iptables -t nat -A POSTROUTING -s "$subnet" -o eth0 -j MASQUERADE || fail "NAT of $subnet out of eth0 failed"
fi
printf '%s\n' "$status" | grep -E '^(state|bssid\[0\]|channel|freq)='
)sh";

const char* const kApDownScript = R"sh(
pkill -x dnsmasq; pkill -x hostapd; pkill -x tcpdump; exit 0
)sh";

const char* const kStationUpScript = CIRQUE_WIFI_SCRIPT_PRELUDE R"sh(
wait_s=$1
end=$(deadline_at "$wait_s")
printf 'ctrl_interface=/run/wpa_supplicant\nupdate_config=0\n' > /etc/wpa_supplicant/cirque.conf
wpa_supplicant -i wlan0 -D nl80211 -c /etc/wpa_supplicant/cirque.conf -f /var/log/cirque-wpa_supplicant.log \
  </dev/null >/dev/null 2>&1 &
until wpa_cli -p /run/wpa_supplicant -i wlan0 ping 2>/dev/null | grep -q PONG; do
  if [ "$(date +%s)" -ge "$end" ]; then
    echo "wpa_supplicant did not answer on its control interface within $wait_s s; its log ends:" >&2
    tail -n 10 /var/log/cirque-wpa_supplicant.log >&2 2>/dev/null
    exit 3
  fi
  sleep 0.1
done
)sh";

const char* const kScanScript = CIRQUE_WIFI_SCRIPT_PRELUDE R"sh(
# Waits for `want` in column `column` of scan_results: 5 is the SSID, 1 the
# BSSID (a hidden network's beacon has no SSID to wait for).
want=$1 freq=$2 wait_s=$3 column=${4:-5}
end=$(deadline_at "$wait_s")
cli() { wpa_cli -p /run/wpa_supplicant -i wlan0 "$@"; }
found() { cli scan_results | awk -F '\t' -v want="$want" -v column="$column" 'NR > 1 && $column == want { hit = 1 } END { exit !hit }'; }
while :; do
  if [ -n "$freq" ]; then cli scan "freq=$freq" >/dev/null; else cli scan >/dev/null; fi
  # Results of one scan come within about a second on one channel; poll
  # them, then ask again.
  i=0
  while [ $i -lt 10 ]; do
    sleep 0.2
    if [ -n "$want" ] && found; then cli scan_results; exit 0; fi
    [ "$(date +%s)" -ge "$end" ] && break 2
    i=$((i + 1))
  done
done
cli scan_results
[ -z "$want" ]
)sh";

const char* const kConnectScript = R"sh(
ssid_hex=$1 security=$2 passphrase=$3 freq=$4
cli() { wpa_cli -p /run/wpa_supplicant -i wlan0 "$@"; }
id=$(cli add_network)
set_network() {
  answer=$(cli set_network "$id" "$1" "$2")
  if [ "$answer" != OK ]; then echo "wpa_cli set_network $1 refused: $answer" >&2; exit 2; fi
}
set_network ssid "$ssid_hex"
set_network scan_ssid 1
case "$security" in
  open) set_network key_mgmt NONE ;;
  wpa3) set_network key_mgmt SAE; set_network sae_password "\"$passphrase\""; set_network ieee80211w 2 ;;
  *) set_network key_mgmt WPA-PSK; set_network psk "\"$passphrase\""; set_network pairwise CCMP ;;
esac
if [ -n "$freq" ]; then set_network scan_freq "$freq"; set_network freq_list "$freq"; fi
answer=$(cli select_network "$id")
if [ "$answer" != OK ]; then echo "wpa_cli select_network: $answer" >&2; exit 2; fi
echo "id=$id"
)sh";

const char* const kWaitAssociatedScript = CIRQUE_WIFI_SCRIPT_PRELUDE R"sh(
wait_s=$1
end=$(deadline_at "$wait_s")
while :; do
  status=$(wpa_cli -p /run/wpa_supplicant -i wlan0 status)
  case "$status" in *wpa_state=COMPLETED*) printf '%s\n' "$status"; exit 0 ;; esac
  if [ "$(date +%s)" -ge "$end" ]; then
    printf '%s\n' "$status"
    tail -n 10 /var/log/cirque-wpa_supplicant.log >&2 2>/dev/null
    exit 1
  fi
  sleep 0.1
done
)sh";

const char* const kLeaseScript = R"sh(
wait_s=$1
# One try (-1), for at most wait_s seconds (the timeout below).
printf 'timeout %s;\nretry 1;\n' "$wait_s" > /etc/dhcp/cirque-dhclient.conf
if dhclient -1 -v -cf /etc/dhcp/cirque-dhclient.conf -pf /run/cirque-dhclient.pid \
     -lf /run/cirque-dhclient.leases wlan0 2>&1; then
  ip -4 -o addr show dev wlan0 | awk '{ split($4, a, "/"); print "address=" a[1]; exit }'
else
  exit 1
fi
)sh";

std::string ScriptSeconds(std::chrono::milliseconds deadline) {
  return std::to_string(std::max<long long>(1, (deadline.count() + 999) / 1000));
}

std::vector<std::string> ScriptArgv(const char* script, const std::string& name,
                                    const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {"sh", "-c", script, name};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return argv;
}

}  // namespace cirque::capabilities

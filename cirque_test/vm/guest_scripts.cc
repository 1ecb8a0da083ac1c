#include "cirque_test/vm/guest_scripts.h"

namespace cirque::vm {

const char* const kStage1Init = R"sh(#!/bin/sh
export PATH=/bin
fail() { echo "cirque-vm: FAILED: $*"; poweroff -f; }
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "cirque-vm: stage 1"
for module in $(cat /modules/order); do
  insmod "/modules/$module.ko" || echo "cirque-vm: insmod $module failed"
done
mkdir -p /hostroot /upper /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro hostroot /hostroot \
  || fail "cannot mount the host's root over 9p"
mount -t tmpfs -o mode=755 tmpfs /upper
mkdir -p /upper/upper /upper/work
mount -t overlay overlay -o lowerdir=/hostroot,upperdir=/upper/upper,workdir=/upper/work /newroot \
  || fail "cannot mount the overlay root"
for dir in proc sys dev; do mount -o move /$dir /newroot/$dir || fail "cannot move /$dir"; done
cp /stage2 /newroot/cirque-stage2
exec switch_root /newroot /bin/sh /cirque-stage2
)sh";

const char* const kStage2Script = R"sh(
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
say() { echo "cirque-vm: $* (uptime $(cut -d' ' -f1 /proc/uptime) s)"; }
poweroff_now() { sync; echo o > /proc/sysrq-trigger; sleep 60; }
fail() { say "FAILED: $*"; poweroff_now; }
echo 1 > /proc/sys/kernel/sysrq
say "stage 2"
# Fresh runtime state: the host's shows through the overlay otherwise.
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/lock /run/netns
for dir in /tmp /var/log /var/lib/misc /var/lib/containerd /etc/docker; do
  mkdir -p "$dir"; mount -t tmpfs tmpfs "$dir"
done
hostname cirque-vm
# The kernel's modules live on the host (shared over 9p): make them the
# guest's, so modprobe and the kernel's own module requests find them.
modules=$(sed -n 's/.*cirque\.modules=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -d "$modules/$(uname -r)" ] || fail "no modules for $(uname -r) under '$modules'"
mkdir -p /usr/lib/modules
ln -sfn "$modules/$(uname -r)" "/usr/lib/modules/$(uname -r)"
mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
ip link set lo up
modprobe virtio_net || fail "virtio_net"
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
echo "nameserver 10.0.2.3" > /etc/resolv.conf
modprobe virtio_blk && modprobe ext4 || fail "virtio_blk/ext4"
mkdir -p /var/lib/docker
mount /dev/vda /var/lib/docker || fail "cannot mount the engine's data disk /dev/vda"
# What the engine's kernel offers cirque: simulated radios (made on demand),
# netem and tbf, macvlan and ipvlan, tun for Thread's host stacks (wpan0).
modprobe mac80211_hwsim radios=0 || say "mac80211_hwsim did not load"
for module in sch_netem sch_tbf macvlan ipvlan veth br_netfilter tun; do
  modprobe "$module" || say "$module did not load"
done
# crun (C) when the host has it: under emulation it starts and execs
# containers much faster than runc, whose Go runtime is re-started for
# every create, start and exec.
runtime_flags=
if [ -x /usr/bin/crun ]; then
  runtime_flags="--add-runtime crun=/usr/bin/crun --default-runtime crun"
fi
say "starting dockerd ${runtime_flags:-with runc}"
dockerd --data-root /var/lib/docker -H unix:///run/docker.sock -H tcp://0.0.0.0:2375 \
  --tls=false --pidfile /run/docker.pid $runtime_flags > /run/dockerd.log 2>&1 &
dockerd_pid=$!
say "dockerd started"
wait "$dockerd_pid"
say "dockerd stopped: $(tail -n 3 /run/dockerd.log | tr '\n' ' ')"
umount /var/lib/docker
poweroff_now
)sh";

}  // namespace cirque::vm

#!/bin/busybox sh
# /init of the test guest's initramfs (test/qemu/initramfs.ts builds it): mount the host root read-only over
# virtio-9p, the results share writable at the same absolute path as on the host, and run the test's script in a
# chroot there. The exit code goes to RESULTS/exit-code; then power off (the host waits for QEMU to exit).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
ip link set lo up
echo "guest: init started $(cut -d' ' -f1 /proc/uptime)s after kernel start"
# Modules needed to reach the host root (listed in dependency order by the builder).
while read -r m; do insmod "/modules/$m" || echo "guest: insmod $m failed"; done < /modules/order
results=$(sed -n 's/.* results=\([^ ]*\).*/\1/p' /proc/cmdline)
root=/mnt/root
mkdir -p $root
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 hostroot $root || { echo "guest: cannot mount the host root"; poweroff -f; }
mount -t proc proc $root/proc
mount -t sysfs sysfs $root/sys
mount -t devtmpfs devtmpfs $root/dev
mount -t tmpfs tmpfs $root/tmp
mount -t tmpfs tmpfs $root/run
mkdir -p "$root$results"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results "$root$results" || { echo "guest: cannot mount the results share"; poweroff -f; }
echo "guest: command starts $(cut -d' ' -f1 /proc/uptime)s after kernel start"
chroot $root /bin/sh -c "cd /tmp && HOME=/tmp PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin /bin/sh $results/run.sh"
code=$?
echo $code > "$root$results/exit-code"
sync
echo "guest: command exited with $code"
poweroff -f

/** RAUC in the guest: two raw slots on the guest's virtio disks, the `custom` boot backend, and a private system bus. */

/** `system.conf` of a desk board whose slots A and B are /dev/vda and /dev/vdb; `dir` holds backend.sh and keyring.pem. */
export function raucSystemConf(board: string, dir: string): string {
  return [
    '[system]', `compatible=deskphone-${board}`, 'bootloader=custom', 'mountprefix=/run/rauc-mnt', 'statusfile=/run/rauc.status', '',
    '[handlers]', `bootloader-custom-backend=${dir}/backend.sh`, '',
    '[keyring]', `path=${dir}/keyring.pem`, '',
    '[slot.appfs.0]', 'device=/dev/vda', 'type=raw', 'bootname=A', '',
    '[slot.appfs.1]', 'device=/dev/vdb', 'type=raw', 'bootname=B', '',
  ].join('\n');
}

/** A D-Bus system bus listening on `socket`, open to everyone in the throwaway guest. */
export function dbusConf(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path=${socket}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/><allow send_type="method_call"/><allow send_destination="*"/><allow receive_sender="*"/></policy></busconfig>
`;
}

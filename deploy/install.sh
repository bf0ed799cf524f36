#!/bin/sh
# Run once, as root, on a new terminal (Debian 12), from a checkout of the kiosk:
#   sudo deploy/install.sh /etc/gov-kiosk/terminal.toml
# Installs the kiosk under /opt/gov-kiosk, the `kiosk` user, the systemd units (the cage kiosk
# session on tty1 with its watchdog, the nightly backstop timer), journald limits, udev rules.
set -eu
config="${1:?usage: install.sh TERMINAL.toml}"
here=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }

# what a terminal runs (not the test tools: no Chromium, no PostgreSQL)
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  python3 python3-venv cage fonts-noto-cjk fonts-wqy-microhei libpulse0 libegl1 libgl1 \
  libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 libwayland-cursor0 libwayland-egl1 \
  cups cups-client cups-bsd
id kiosk >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/gov-kiosk \
  --groups video,input,render,dialout,lp kiosk
mkdir -p /opt/gov-kiosk /etc/gov-kiosk
cp -a "$here/." /opt/gov-kiosk/
rm -rf /opt/gov-kiosk/.venv
python3 -m venv /opt/gov-kiosk/.venv
/opt/gov-kiosk/.venv/bin/pip install -q /opt/gov-kiosk
install -m 0640 -g kiosk "$config" /etc/gov-kiosk/terminal.toml
/opt/gov-kiosk/.venv/bin/kiosk config validate /etc/gov-kiosk/terminal.toml

install -m 0644 "$here/deploy/systemd/gov-kiosk.service" /etc/systemd/system/
install -m 0644 "$here/deploy/systemd/gov-kiosk-backstop.service" /etc/systemd/system/
install -m 0644 "$here/deploy/systemd/gov-kiosk-backstop.timer" /etc/systemd/system/
mkdir -p /etc/systemd/journald.conf.d
install -m 0644 "$here/deploy/journald/gov-kiosk.conf" /etc/systemd/journald.conf.d/
install -m 0644 "$here/deploy/udev/70-gov-kiosk.rules" /etc/udev/rules.d/
udevadm control --reload && udevadm trigger || true
systemctl restart systemd-journald
systemctl daemon-reload
systemctl set-default graphical.target
systemctl enable gov-kiosk.service gov-kiosk-backstop.timer
echo "installed: enrol with  sudo -u kiosk /opt/gov-kiosk/.venv/bin/kiosk sync enrol CODE --config /etc/gov-kiosk/terminal.toml"
echo "then: systemctl start gov-kiosk"

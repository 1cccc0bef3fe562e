#!/bin/bash
# gen-root.sh DIR UNITS PAM PKGS - a generated root for the benchmark: UNITS service units
# with a realistic hardening mix (and admin drop-ins in /etc), PAM services with include
# chains, a dpkg status database of PKGS packages with their file lists, and an NSS
# configuration that needs drop-ins (passwd: files systemd sss; hosts: files dns).
# Deterministic: the same arguments give the same root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$1 units=$2 pam=$3 pkgs=$4
rm -rf "$dir"
mkdir -p "$dir"/{etc/pam.d,etc/systemd/system,lib/systemd/system,usr/sbin,usr/lib/hc-bench} \
         "$dir"/{lib/x86_64-linux-gnu/security,var/lib/dpkg/info,var/lib/dpkg/updates,run}
cd "$dir"

cp "$HERE/nsswitch.conf" etc/nsswitch.conf
printf 'nameserver 192.0.2.53\nnameserver 2001:db8::53\nsearch example.org\n' >etc/resolv.conf
echo bench >etc/hostname

# One real ELF, hard-linked as every unit's daemon: the ELF header reads are real, the
# disk cost is one file.
cp /bin/true usr/lib/hc-bench/daemon

# PAM: the common-* stacks as pam-auth-update writes them with sss, three chain levels
# (svc-N includes chain-K, which @includes common-*), and the modules (empty files: only
# their presence is looked at).
for m in pam_unix pam_sss pam_deny pam_permit pam_env pam_limits pam_systemd pam_mkhomedir pam_listfile; do
        : >"lib/x86_64-linux-gnu/security/$m.so"
done
cat >etc/pam.d/common-auth <<'EOF'
auth	[success=2 default=ignore]	pam_unix.so nullok
auth	[success=1 default=ignore]	pam_sss.so use_first_pass
auth	requisite			pam_deny.so
auth	required			pam_permit.so
EOF
cat >etc/pam.d/common-account <<'EOF'
account	[success=1 new_authtok_reqd=done default=ignore]	pam_unix.so
account	requisite			pam_deny.so
account	required			pam_permit.so
account	sufficient			pam_localuser.so
account	[default=bad success=ok user_unknown=ignore]	pam_sss.so
EOF
cat >etc/pam.d/common-password <<'EOF'
password	sufficient	pam_sss.so
password	[success=1 default=ignore]	pam_unix.so obscure yescrypt
password	requisite	pam_deny.so
password	required	pam_permit.so
EOF
cat >etc/pam.d/common-session <<'EOF'
session	[default=1]	pam_permit.so
session	requisite	pam_deny.so
session	required	pam_permit.so
session	required	pam_unix.so
session	optional	pam_sss.so
session	optional	pam_systemd.so
EOF
printf '@include common-auth\n@include common-account\n@include common-password\n@include common-session\n' >etc/pam.d/other
for k in 0 1 2 3 4; do
        {
                echo "auth	required	pam_env.so"
                echo "@include common-auth"
                echo "account	include	common-account"
                echo "session	substack	common-session"
                echo "session	optional	pam_limits.so"
        } >"etc/pam.d/chain-$k"
done
for ((p = 0; p < pam; p++)); do
        {
                echo "auth	required	pam_listfile.so item=user sense=deny file=/etc/ftpusers onerr=succeed"
                echo "auth	include	chain-$((p % 5))"
                echo "account	include	chain-$((p % 5))"
                echo "session	include	chain-$((p % 5))"
                ((p % 3)) || echo "session	optional	pam_mkhomedir.so"
        } >"etc/pam.d/svc-$p"
done

# Units: ten kinds, one in ten each.
unit_body() {
        local i=$1 kind=$(($1 % 10))
        echo "[Unit]"
        echo "Description=bench unit $i (kind $kind)"
        echo
        echo "[Service]"
        echo "ExecStart=/usr/sbin/d$i --foreground"
        case $kind in
        0) printf '%s\n' "User=u$i" "RestrictAddressFamilies=AF_INET AF_INET6" "IPAddressDeny=any" \
                "IPAddressAllow=localhost" "NoNewPrivileges=yes" "ProtectSystem=strict" "SystemCallArchitectures=native" ;;
        1) printf '%s\n' "SystemCallArchitectures=native" "NoNewPrivileges=yes" "ProtectHome=yes" ;;
        2) printf '%s\n' "PAMName=svc-$((i % (pam > 0 ? pam : 1)))" "NoNewPrivileges=yes" "RestrictAddressFamilies=AF_INET" ;;
        3) printf '%s\n' "Type=forking" "PIDFile=/run/d$i.pid" ;;
        4) printf '%s\n' "DynamicUser=yes" "RestrictAddressFamilies=AF_UNIX" "PrivateTmp=yes" ;;
        5) printf '%s\n' "User=u$i" "ProtectSystem=full" ;;        # hardened by the admin's drop-in
        6) printf '%s\n' "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" "IPAddressAllow=any" "NoNewPrivileges=yes" ;;
        7) printf '%s\n' "ProtectSystem=strict" "ReadWritePaths=/var/lib/d$i" "NoNewPrivileges=yes" "CapabilityBoundingSet=" ;;
        8) printf '%s\n' "Type=oneshot" "RestrictAddressFamilies=AF_UNIX AF_NETLINK" "IPAddressDeny=any" "SystemCallFilter=@system-service" ;;
        9) printf '%s\n' "User=u$i" "IPAddressDeny=any" "RestrictAddressFamilies=AF_INET6" ;;
        esac
        echo
        echo "[Install]"
        echo "WantedBy=multi-user.target"
}
for ((i = 0; i < units; i++)); do
        if ((i % 10 == 9)); then
                f=etc/systemd/system/u$i.service        # the admin's own unit
        else
                f=lib/systemd/system/u$i.service
        fi
        unit_body "$i" >"$f"
        ln usr/lib/hc-bench/daemon "usr/sbin/d$i"
        if ((i % 10 == 5 || i % 20 == 0)); then
                mkdir -p "etc/systemd/system/u$i.service.d"
                printf '[Service]\nRestrictAddressFamilies=AF_INET\nIPAddressDeny=any\n' >"etc/systemd/system/u$i.service.d/10-local.conf"
        fi
done

# dpkg: packages pkg-N own units i with i % PKGS == N, plus the NSS and PAM providers.
printf 'amd64\ni386\n' >var/lib/dpkg/arch
: >var/lib/dpkg/diversions
{
        for name in libc6 libnss-sss libpam-sss libpam-modules libpam-runtime libnss-systemd systemd sssd-common; do
                printf 'Package: %s\nStatus: install ok installed\nPriority: optional\nSection: libs\nMaintainer: bench <bench@example.org>\nArchitecture: amd64\nVersion: 1.0\nDescription: %s\n\n' "$name" "$name"
        done
        for ((p = 0; p < pkgs; p++)); do
                printf 'Package: pkg-%d\nStatus: install ok installed\nPriority: optional\nSection: net\nInstalled-Size: 100\nMaintainer: bench <bench@example.org>\nArchitecture: amd64\nVersion: 1.%d-1\nDepends: libc6 (>= 2.36), libpam-modules\nDescription: bench package %d\n a generated package\n\n' "$p" "$p" "$p"
        done
} >var/lib/dpkg/status
for ((p = 0; p < pkgs; p++)); do
        printf '/.\n/usr\n/usr/sbin\n/usr/share/doc/pkg-%d\n/usr/share/doc/pkg-%d/copyright\n' "$p" "$p"
done | awk -v pkgs="$pkgs" -v units="$units" '
        { buf = buf $0 "\n" }
        /copyright$/ {
                p = NR / 5 - 1
                for (i = p; i < units; i += pkgs)
                        buf = buf sprintf("/usr/sbin/d%d\n/lib/systemd/system/u%d.service\n", i, i)
                f = "var/lib/dpkg/info/pkg-" p ".list"
                printf "%s", buf > f
                close(f)
                buf = ""
        }'
printf '/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/security\n/lib/x86_64-linux-gnu/security/pam_sss.so\n' >var/lib/dpkg/info/libpam-sss.list
printf '/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/security\n/lib/x86_64-linux-gnu/security/pam_unix.so\n' >var/lib/dpkg/info/libpam-modules.list
for name in libc6 libnss-sss libpam-runtime libnss-systemd systemd sssd-common; do
        printf '/.\n/usr\n/usr/share/doc/%s\n' "$name" >"var/lib/dpkg/info/$name.list"
done

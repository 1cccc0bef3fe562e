#!/bin/sh
# fuzz/seeds.sh OUT SRCDIR - seed corpora from this host's real Debian files, one directory
# per target under OUT. Multi-file seeds use the tree format of fuzz/fuzz-tree.h: pieces
# separated by an ASCII RS byte (0x1e), each "PATH\nCONTENT".
set -eu
OUT=$1 SRC=$2
RS=$(printf '\036')
mkdir -p "$OUT"

piece() { # piece PATH FILE: one piece, with the separator in front unless first
        [ "${first:-1}" = 1 ] || printf '%s' "$RS"
        first=0
        printf '%s\n' "$1"
        head -c 65536 "$2"
}
seed() { # seed TARGET <CONTENT: stored under its SHA-1, as libFuzzer names corpus files
        cat >"$OUT/$1/.new"
        mv "$OUT/$1/.new" "$OUT/$1/$(sha1sum <"$OUT/$1/.new" | cut -c1-40)"
}

# nsswitch.conf: the file itself (no tree).
mkdir -p "$OUT/fuzz-nsswitch"
for f in /etc/nsswitch.conf /usr/share/libc-bin/nsswitch.conf "$SRC"/examples/*/etc/nsswitch.conf; do
        [ -f "$f" ] && seed fuzz-nsswitch <"$f"
done
printf 'passwd: files systemd sss [NOTFOUND=return] ldap\nhosts: files mdns4_minimal [NOTFOUND=return] dns\nshadow: compat\n' | seed fuzz-nsswitch

# conf: the unit files alone (no tree).
mkdir -p "$OUT/fuzz-conf"
for u in /lib/systemd/system/*.service /lib/systemd/system/*.d/*.conf; do
        [ -f "$u" ] && seed fuzz-conf <"$u"
done

# pam.d: each service with every common-* file and "other".
mkdir -p "$OUT/fuzz-pamd"
for s in /etc/pam.d/*; do
        [ -f "$s" ] || continue
        { first=1; piece "${s##*/}" "$s"
          for c in /etc/pam.d/common-* /etc/pam.d/other; do [ "$c" = "$s" ] || piece "${c##*/}" "$c"; done
        } | seed fuzz-pamd
done

# units: each unit of /lib/systemd/system with its drop-ins there; a few small groups.
mkdir -p "$OUT/fuzz-units"
for u in /lib/systemd/system/*.service /lib/systemd/system/*.socket /lib/systemd/system/*.slice \
         /lib/systemd/system/*.timer /lib/systemd/system/*.mount; do
        [ -f "$u" ] || continue
        { first=1; piece "${u##*/}" "$u"
          for d in "$u.d"/*.conf; do [ -f "$d" ] && piece "${u##*/}.d/${d##*/}" "$d"; done
        } | seed fuzz-units
done
for d in /lib/systemd/system/*.d/*.conf /etc/systemd/system/*.d/*.conf; do
        [ -f "$d" ] || continue
        u=${d%.d/*}; u=${u##*/}
        [ -f "/lib/systemd/system/$u" ] || continue
        { first=1; piece "$u" "/lib/systemd/system/$u"; piece "/etc/systemd/system/$u.d/${d##*/}" "$d"; } | seed fuzz-units
done

# ELF headers and shebangs: the first 4 KiB of programs; scripts with their interpreter.
mkdir -p "$OUT/fuzz-elf"
for b in /usr/bin/ls /usr/bin/bash /usr/sbin/sshd /usr/lib/systemd/systemd /usr/bin/perl \
         /usr/lib/x86_64-linux-gnu/libc.so.6 /usr/lib/x86_64-linux-gnu/security/pam_unix.so \
         /usr/bin/env /usr/sbin/cron /usr/bin/dpkg; do
        [ -f "$b" ] || continue
        head -c 4096 "$b" >"$OUT/tmp-elf"
        { first=1; piece "${b##*/}" "$OUT/tmp-elf"; } | seed fuzz-elf
done
head -c 4096 /usr/bin/bash >"$OUT/tmp-elf"
for s in $(grep -l '^#!' /usr/bin/* /usr/sbin/* 2>/dev/null | head -20); do
        head -c 1024 "$s" >"$OUT/tmp-script"
        { first=1; piece script "$OUT/tmp-script"; piece /bin/sh "$OUT/tmp-elf"; piece /usr/bin/env "$OUT/tmp-elf"; } | seed fuzz-elf
done
rm -f "$OUT/tmp-elf" "$OUT/tmp-script"

# rules: each fragments/*.rules alone, and all of them together (cut at 16 files).
mkdir -p "$OUT/fuzz-rules"
for r in "$SRC"/fragments/*.rules; do { first=1; piece "${r##*/}" "$r"; } | seed fuzz-rules; done
{ first=1; for r in $(ls "$SRC"/fragments/*.rules | head -16); do piece "${r##*/}" "$r"; done; } | seed fuzz-rules

# servers: the host's resolv.conf and hosts, and typical files of the other readers.
mkdir -p "$OUT/fuzz-servers"
T=$OUT/tmp-servers
mkdir -p "$T"
printf 'domain example.org server nis1.example.org\nypserver 192.0.2.7\ndomain other broadcast\n' >"$T/yp.conf"
printf '192.0.2.7 nis1.example.org nis1\n::1 localhost\n' >"$T/hosts.extra"
printf '[libdefaults]\n default_realm = EXAMPLE.ORG\n[realms]\n EXAMPLE.ORG = {\n  kdc = kdc1.example.org:88\n  kdc = 192.0.2.9\n  admin_server = kdc1.example.org\n }\n[domain_realm]\n .example.org = EXAMPLE.ORG\n' >"$T/krb5.conf"
printf '# server[:port] secret [timeout]\n192.0.2.10:1812 s3cret 3\n[2001:db8::1] s3cret\n' >"$T/pam_radius_auth.conf"
printf '[duo]\nikey = X\nskey = Y\nhost = api-1234.duosecurity.com\n' >"$T/pam_duo.conf"
printf 'connectionstring = host=db.example.org dbname=unix user=nss\n' >"$T/nss-pgsql.conf"
printf 'defaults\nauth on\ntls on\naccount mail\nhost smtp.example.org\nport 587\naccount default : mail\n' >"$T/msmtprc"
printf 'root=postmaster\nmailhub=smtp.example.org:587\nUseSTARTTLS=YES\n' >"$T/ssmtp.conf"
printf 'SMARTHOST smtp.example.org\nPORT 25\n' >"$T/dma.conf"
printf 'hostname = smtp.example.org:25\nusername = "me"\n' >"$T/esmtprc"
for f in /etc/resolv.conf "$SRC"/examples/demo-root/etc/resolv.conf; do
        [ -f "$f" ] && { first=1; piece resolv.conf "$f"; } | seed fuzz-servers
done
{ first=1; piece yp.conf "$T/yp.conf"; piece hosts /etc/hosts; } | seed fuzz-servers
{ first=1; piece yp.conf "$T/yp.conf"; piece hosts "$T/hosts.extra"; } | seed fuzz-servers
{ first=1; piece krb5.conf "$T/krb5.conf"; piece hosts "$T/hosts.extra"; } | seed fuzz-servers
{ first=1; piece pam_radius_auth.conf "$T/pam_radius_auth.conf"; } | seed fuzz-servers
{ first=1; piece security/pam_duo.conf "$T/pam_duo.conf"; } | seed fuzz-servers
{ first=1; piece nss-pgsql.conf "$T/nss-pgsql.conf"; piece nss-pgsql-root.conf "$T/nss-pgsql.conf"; } | seed fuzz-servers
{ first=1; piece msmtprc "$T/msmtprc"; } | seed fuzz-servers
{ first=1; piece ssmtp/ssmtp.conf "$T/ssmtp.conf"; } | seed fuzz-servers
{ first=1; piece dma/dma.conf "$T/dma.conf"; } | seed fuzz-servers
{ first=1; piece esmtprc "$T/esmtprc"; } | seed fuzz-servers
rm -rf "$T"

# the exim4 listener: Debian's configurations (smarthost, internet site), with the init
# script's switch, a System V link, and /etc/passwd.
mkdir -p "$OUT/fuzz-mta"
T=$OUT/tmp-mta
mkdir -p "$T"
printf "dc_eximconfig_configtype='smarthost'\ndc_other_hostnames=''\ndc_local_interfaces='127.0.0.1 ; ::1'\ndc_smarthost='smtp.example.org::587'\n" >"$T/local"
printf "dc_eximconfig_configtype='internet'\ndc_local_interfaces='[::1]:2525 ; 127.0.0.1.26'\n" >"$T/internet"
printf "QUEUERUNNER='combined'\nQUEUEINTERVAL='30m'\n" >"$T/default"
printf '#!/bin/sh\n' >"$T/init"
for c in local internet; do
        { first=1; piece exim4/update-exim4.conf.conf "$T/$c"; piece default/exim4 "$T/default"
          piece passwd /etc/passwd; piece /usr/bin/msmtp "$T/init"; } | seed fuzz-mta
        { first=1; piece exim4/update-exim4.conf.conf "$T/$c"; piece init.d/exim4 "$T/init"
          piece rc2.d/S01exim4 "$T/init"; } | seed fuzz-mta
done
rm -rf "$T"

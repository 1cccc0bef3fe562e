#!/usr/bin/python3
"""Compare hardening-compat's model of units with systemd's own view.

    compare.py SYSTEMD_SHOW OURS_JSON [NNP_PROBES]

SYSTEMD_SHOW: `systemctl show -p Id,LoadState,<props>` blocks, each block preceded by a
line `#name UNIT` (the name that was asked for). OURS_JSON: the output of
`hardening-compat explain --json=short` for the same names. systemctl show prints
DeviceAllow= once per entry; the values are joined with ", " (as our rendering does).
NNP_PROBES (optional): lines
`UNIT 0|1` with the NoNewPrivs flag a started probe read from /proc/self/status.
Prints the agreement table and every disagreement; exits 1 if there is any.
"""
import json
import sys

PROPS = ["RestrictAddressFamilies", "SystemCallArchitectures", "IPAddressAllow", "IPAddressDeny",
         "CapabilityBoundingSet", "ReadWritePaths", "ProtectSystem", "PrivateNetwork",
         "ReadOnlyPaths", "InaccessiblePaths", "SupplementaryGroups", "ProtectHome", "PrivateDevices",
         "PrivateTmp", "PrivateUsers", "RestrictNamespaces", "DevicePolicy", "DeviceAllow",
         "BindPaths", "BindReadOnlyPaths"]
AS_SET = {"IPAddressAllow", "IPAddressDeny"}   # systemd prints them in hash order
REPEATED = {"DeviceAllow"}                      # one line per entry


def read_show(path):
    units, cur = {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#name "):
                cur = units.setdefault(line[6:], {})
            elif cur is not None and "=" in line:
                k, v = line.split("=", 1)
                cur[k] = cur[k] + ", " + v if k in REPEATED and k in cur else v
    return units


def norm(prop, value):
    return " ".join(sorted(value.split())) if prop in AS_SET else value


def main():
    show = read_show(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        ours = {u["name"]: u for u in json.load(f)}
    probes = {}
    if len(sys.argv) > 3:
        with open(sys.argv[3], encoding="utf-8") as f:
            for line in f:
                w = line.split()
                if len(w) == 2:
                    probes[w[0]] = w[1] == "1"

    rows = {p: [0, 0] for p in ["LoadState"] + PROPS + ["NoNewPrivileges (probe)"]}
    diffs, units = [], 0
    for name in sorted(show):
        sd, us = show[name], ours.get(name)
        if us is None:
            diffs.append((name, "present", "in systemd's list", "missing from ours"))
            continue
        units += 1
        ours_state = us["state"]
        sd_state = sd.get("LoadState", "?")
        rows["LoadState"][0] += 1
        if sd_state == ours_state:
            rows["LoadState"][1] += 1
        else:
            diffs.append((name, "LoadState", sd_state, ours_state))
        if sd_state != "loaded" or ours_state != "loaded":
            continue
        for p in PROPS:
            if p not in us["settings"]:
                rows[p][0] += 1
                diffs.append((name, p, sd.get(p, ""), "(not in explain --json)"))
                continue
            a, b = norm(p, sd.get(p, "")), norm(p, us["settings"][p]["value"])
            rows[p][0] += 1
            if a == b:
                rows[p][1] += 1
            else:
                diffs.append((name, p, a, b))
        if name in probes:
            p = "NoNewPrivileges (probe)"
            rows[p][0] += 1
            if probes[name] == us["effective"]["NoNewPrivileges"]:
                rows[p][1] += 1
            else:
                diffs.append((name, p, str(probes[name]), str(us["effective"]["NoNewPrivileges"])))

    total = [sum(r[0] for r in rows.values()), sum(r[1] for r in rows.values())]
    print(f"Fidelity: {units} units compared with systemd 252")
    print(f"{'property':<28} {'compared':>9} {'agree':>9} {'percent':>8}")
    for p, (n, a) in rows.items():
        pct = f"{100.0 * a / n:.1f}%" if n else "-"
        print(f"{p:<28} {n:>9} {a:>9} {pct:>8}")
    pct = f"{100.0 * total[1] / total[0]:.2f}%" if total[0] else "-"
    print(f"{'all comparisons':<28} {total[0]:>9} {total[1]:>9} {pct:>8}")
    units_agree = units - len({d[0] for d in diffs})
    print(f"units in full agreement: {units_agree} of {units}")
    for name, prop, a, b in diffs:
        print(f"DISAGREE {name} {prop}: systemd '{a}' ours '{b}'")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())

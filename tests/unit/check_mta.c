/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mail: which MTA /usr/sbin/sendmail is (dpkg owner → Kind=mta rule), which units send mail
 * (rules, command lines, the text of what they run), and the drop-in for postfix's setgid
 * postdrop: SupplementaryGroups=postdrop under NoNewPrivileges (explicit or implied), the
 * maildrop directory under ProtectSystem=strict, nothing for units that cannot break it.
 */
#include <sys/stat.h>

#include "tu-plan.h"

typedef enum Mta {
        POSTFIX,                /* dpkg: postfix ships /usr/sbin/sendmail */
        POSTFIX_NO_DPKG,        /* the same files, no dpkg database: Sendmail= of the rule */
        UNKNOWN_MTA,            /* /usr/sbin/sendmail → /opt/mymta/bin/submit, no rule */
        EXIM,                   /* exim4-daemon-light: sendmail → exim4, setuid root */
        NULLMAILER,             /* nullmailer-queue setuid mail */
        SSMTP,                  /* sendmail → ssmtp, setgid mail, no group check; mailhub */
        SENDMAIL_MSP,           /* sendmail-bin's MSP: setgid smmsp, checks its group; 127.0.0.1 */
        SSMTP_BY_NAME,          /* ssmtp, mailhub=relay.example, in the root's /etc/hosts */
        MSMTP_NO_HOST,          /* msmtp-mta, /etc/msmtprc without a host */
        DMA_NO_SMARTHOST,       /* dma, setgid mail, no SMARTHOST: any MX */
        MSMTP,                  /* msmtp-mta: sendmail → msmtp, smarthost in /etc/msmtprc */
        EXIM_LOOPBACK,          /* exim4 listening on 127.0.0.1 ; ::1, enabled (rc2.d), msmtp installed */
        EXIM_LOOPBACK_PORT,     /* the same on [127.0.0.1]:2525 */
        EXIM_QUEUEONLY,         /* QUEUERUNNER='queueonly': no listener */
        EXIM_DISABLED,          /* no S link: the daemon does not run */
        EXIM_NO_MSMTP,          /* a listener, but no stand-in program */
        NO_MTA,
} Mta;

typedef struct Case {
        const char *name;
        const char *unit;       /* [Service] body of x.service */
        Mta mta;
        const char *lines;      /* expected directives, "\n"-joined */
        const char *text;       /* in the drop-in, the mail evidence, notes, unknown or unmet */
        const char *config;     /* /etc/hardening-compat/hardening-compat.conf */
        const char *files;      /* in the files written next to the drop-in */
} Case;

#define SENDS "ExecStart=/bin/sh -c \"echo x | /usr/sbin/sendmail root\"\n"

static const Case cases[] = {
        { "NoNewPrivileges=yes: the helper's group", SENDS "User=hcmail\nNoNewPrivileges=yes\n", POSTFIX,
          "SupplementaryGroups=postdrop", "which NoNewPrivileges=yes (/lib/systemd/system/x.service:4) keeps", NULL, NULL },
        { "implied NoNewPrivileges: the same", SENDS "User=hcmail\nSystemCallArchitectures=native\n", POSTFIX,
          "SupplementaryGroups=postdrop", "that SystemCallArchitectures= (/lib/systemd/system/x.service:4) implies", NULL, NULL },
        { "ProtectSystem=strict: the queue directory", SENDS "User=hcmail\nProtectSystem=strict\n", POSTFIX,
          "ReadWritePaths=-/var/spool/postfix/maildrop", "# postfix, the MTA behind sendmail", NULL, NULL },
        { "AF_INET-only unit: AF_UNIX for pickup", SENDS "User=hcmail\nRestrictAddressFamilies=AF_INET\n", POSTFIX,
          "RestrictAddressFamilies=AF_UNIX\nSupplementaryGroups=postdrop", NULL, NULL, NULL },
        { "root caller: no group needed", SENDS "NoNewPrivileges=yes\n", POSTFIX, "", NULL, NULL, NULL },
        { "unhardened: nothing read, nothing written", SENDS "User=hcmail\n", POSTFIX, "", NULL, NULL, NULL },
        { "hardened but sends no mail", "ExecStart=/bin/true\nUser=hcmail\nNoNewPrivileges=yes\n", POSTFIX, "", NULL, NULL, NULL },
        { "'+' command: outside the sandbox", "ExecStart=+/bin/sh -c \"echo x | /usr/sbin/sendmail root\"\n"
          "User=hcmail\nNoNewPrivileges=yes\n", POSTFIX, "", NULL, NULL, NULL },
        { "script naming /usr/sbin/sendmail", "ExecStart=/usr/local/bin/report\nUser=hcmail\nNoNewPrivileges=yes\n",
          POSTFIX, "SupplementaryGroups=postdrop", "/usr/local/bin/report, which names /usr/sbin/sendmail", NULL, NULL },
        { "mail(1) on the command line", "ExecStart=/bin/sh -c \"df | mail -s disk root\"\nUser=hcmail\nNoNewPrivileges=yes\n",
          POSTFIX, "SupplementaryGroups=postdrop", "runs mail", NULL, NULL },
        { "a mail-sender rule names the unit", "ExecStart=/bin/true\nUser=hcmail\nNoNewPrivileges=yes\n", POSTFIX,
          "SupplementaryGroups=postdrop", "rule mail-sender-test.rules", NULL, NULL },
        { "no dpkg database: Sendmail= matches", SENDS "User=hcmail\nNoNewPrivileges=yes\n", POSTFIX_NO_DPKG,
          "SupplementaryGroups=postdrop", NULL, NULL, NULL },
        { "unknown MTA: reported, nothing granted", SENDS "User=hcmail\nNoNewPrivileges=yes\n", UNKNOWN_MTA, "",
          "no Kind=mta rule describes it", NULL, NULL },
        { "exim4, explicit NoNewPrivileges=yes: switched off", SENDS "User=hcmail\nNoNewPrivileges=yes\n", EXIM,
          "NoNewPrivileges=no", "/usr/sbin/exim4, setuid root, which NoNewPrivileges=yes keeps", NULL, NULL },
        { "exim4, implied NoNewPrivileges: cannot work, nothing written", SENDS "User=hcmail\nNoNewPrivileges=yes\n"
          "SystemCallArchitectures=native\nProtectSystem=strict\n", EXIM, "",
          "without removing SystemCallArchitectures= (/lib/systemd/system/x.service:5)", NULL, NULL },
        { "exim4 under ProtectSystem=strict: spool, log, mailboxes", SENDS "User=hcmail\nProtectSystem=strict\n", EXIM,
          "ReadWritePaths=-/var/spool/exim4\nReadWritePaths=-/var/log/exim4\nReadWritePaths=-/var/mail", NULL, NULL, NULL },
        { "exim4 under a bounding set: its capabilities", SENDS "User=hcmail\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n",
          EXIM, "CapabilityBoundingSet=CAP_CHOWN\nCapabilityBoundingSet=CAP_DAC_OVERRIDE\nCapabilityBoundingSet=CAP_FOWNER\n"
          "CapabilityBoundingSet=CAP_SETGID\nCapabilityBoundingSet=CAP_SETUID", NULL, NULL, NULL },
        { "exim4, root with a system call filter: only the explicit NoNewPrivileges=yes counts",
          SENDS "NoNewPrivileges=yes\nSystemCallFilter=@system-service\n", EXIM, "NoNewPrivileges=no", NULL, NULL, NULL },
        { "nullmailer, explicit NoNewPrivileges=yes", SENDS "User=hcmail\nNoNewPrivileges=yes\nProtectSystem=full\n",
          NULLMAILER, "NoNewPrivileges=no", NULL, NULL, NULL },
        { "nullmailer, RestrictAddressFamilies= implies it", SENDS "User=hcmail\nRestrictAddressFamilies=AF_UNIX\n",
          NULLMAILER, "", "cannot be made to work without removing RestrictAddressFamilies=", NULL, NULL },
        { "msmtp: the smarthost only, fenced; /tmp under ProtectSystem=strict",
          SENDS "User=hcmail\nRestrictAddressFamilies=AF_UNIX\nProtectSystem=strict\n", MSMTP,
          "RestrictAddressFamilies=AF_INET\nIPAddressDeny=0.0.0.0/0\nIPAddressAllow=192.0.2.25\nReadWritePaths=-/tmp",
          "server 192.0.2.25 (/etc/msmtprc:7)", NULL, NULL },
        { "msmtp with NoNewPrivileges=yes only: nothing", SENDS "User=hcmail\nNoNewPrivileges=yes\n", MSMTP, "", NULL, NULL, NULL },
        { "Senders= of hardening-compat.conf", "ExecStart=/bin/true\nUser=hcmail\nNoNewPrivileges=yes\n", POSTFIX,
          "SupplementaryGroups=postdrop", "Senders= of /etc/hardening-compat/hardening-compat.conf:2",
          "[Mail]\nSenders=x.service y.service\n", NULL },
        { "NotSenders= wins over the command line", SENDS "User=hcmail\nNoNewPrivileges=yes\n", POSTFIX, "", NULL,
          "[Mail]\nNotSenders=x.service\n", NULL },
        { "NoNewPrivilegesOff=no: setuid MTA left unmet", SENDS "User=hcmail\nNoNewPrivileges=yes\n", EXIM, "",
          "NoNewPrivilegesOff=no (/etc/hardening-compat/hardening-compat.conf:3) forbids", "[Mail]\n# no\nNoNewPrivilegesOff=no\n", NULL },
        { "ssmtp: the mail group, the mailhub", SENDS "User=hcmail\nSystemCallArchitectures=native\nIPAddressDeny=any\n",
          SSMTP, "IPAddressAllow=192.0.2.26\nSupplementaryGroups=mail", "server 192.0.2.26 (/etc/ssmtp/ssmtp.conf:2", NULL, NULL },
        { "sendmail's MSP checks its group: NoNewPrivileges=no, 127.0.0.1",
          SENDS "User=hcmail\nNoNewPrivileges=yes\nRestrictAddressFamilies=AF_UNIX\n", SENDMAIL_MSP, "",
          "is setgid smmsp and checks that it runs with that group", NULL, NULL },
        { "sendmail's MSP, explicit NoNewPrivileges=yes only", SENDS "User=hcmail\nNoNewPrivileges=yes\nIPAddressDeny=any\n",
          SENDMAIL_MSP, "IPAddressAllow=127.0.0.1\nNoNewPrivileges=no", NULL, NULL, NULL },
        { "dma without SMARTHOST: any MX, unmet", SENDS "User=hcmail\nIPAddressDeny=any\n", DMA_NO_SMARTHOST, "",
          "any host", NULL, NULL },
        { "a mailhub by name: resolved in the root's /etc/hosts", SENDS "User=hcmail\nIPAddressDeny=any\n", SSMTP_BY_NAME,
          "IPAddressAllow=198.51.100.26", "relay.example resolved when generated", NULL, NULL },
        { "msmtprc without a host: unmet, nothing written", SENDS "User=hcmail\nIPAddressDeny=any\n", MSMTP_NO_HOST, "",
          "/etc/msmtprc names no host for the default account", NULL, NULL },
        { "hardening-compat.conf with a bad unit name and an unknown key: the rest still applies",
          "ExecStart=/bin/true\nUser=hcmail\nNoNewPrivileges=yes\n", POSTFIX, "SupplementaryGroups=postdrop",
          "'../x' is not a unit name", "[Mail]\nSenders=../x x.service\nColour=blue\n", NULL },
        { "exim4 listening on loopback, implied NoNewPrivileges: msmtp stands in, the listener only",
          SENDS "User=hcmail\nSystemCallArchitectures=native\nRestrictAddressFamilies=AF_UNIX\nIPAddressDeny=any\n",
          EXIM_LOOPBACK, "RestrictAddressFamilies=AF_INET\nIPAddressAllow=127.0.0.1\n"
          "BindReadOnlyPaths=/etc/systemd/system/x.service.d/zz-hardening-compat.sendmail:/usr/sbin/sendmail",
          "exim4-daemon-light listens on 127.0.0.1 port 25 (/etc/exim4/update-exim4.conf.conf:2, "
          "dc_local_interfaces='127.0.0.1 ; ::1'; exim4.service enabled)", NULL,
          "exec /usr/bin/msmtp --host=127.0.0.1 --port=25 --auth=off --tls=off --from=%U@localhost "
          "--aliases=/etc/systemd/system/x.service.d/zz-hardening-compat.aliases \\\n"
          "\t--set-from-header=on --undisclosed-recipients=on \"$@\"\n" },
        { "exim4 on loopback, explicit NoNewPrivileges=yes: the stand-in first, NoNewPrivileges= stays",
          SENDS "User=hcmail\nNoNewPrivileges=yes\n", EXIM_LOOPBACK,
          "BindReadOnlyPaths=/etc/systemd/system/x.service.d/zz-hardening-compat.sendmail:/usr/sbin/sendmail",
          "# exim4-daemon-light, the MTA behind sendmail", NULL, "\nhcmail: hcmail@localhost\n" },
        { "LoopbackSubmission=no: NoNewPrivileges=no instead", SENDS "User=hcmail\nNoNewPrivileges=yes\n", EXIM_LOOPBACK,
          "NoNewPrivileges=no", NULL, "[Mail]\nLoopbackSubmission=no\n", NULL },
        { "LoopbackSubmission=no, implied: unmet, says both", SENDS "User=hcmail\nRestrictAddressFamilies=AF_UNIX\n",
          EXIM_LOOPBACK, "", "LoopbackSubmission=no (/etc/hardening-compat/hardening-compat.conf:2) forbids",
          "[Mail]\nLoopbackSubmission=no\n", NULL },
        { "listener on [127.0.0.1]:2525, ProtectSystem=strict: /tmp for msmtp, no spool",
          SENDS "User=hcmail\nNoNewPrivileges=yes\nProtectSystem=strict\n", EXIM_LOOPBACK_PORT,
          "BindReadOnlyPaths=/etc/systemd/system/x.service.d/zz-hardening-compat.sendmail:/usr/sbin/sendmail\n"
          "ReadWritePaths=-/tmp", "# msmtp, standing in for sendmail", NULL, "--host=127.0.0.1 --port=2525 " },
        { "QUEUERUNNER='queueonly': no listener, unmet", SENDS "User=hcmail\nSystemCallArchitectures=native\n",
          EXIM_QUEUEONLY, "", "QUEUERUNNER='queueonly' (/etc/default/exim4:1) starts no listener", NULL, NULL },
        { "exim4 not enabled: no listener, unmet", SENDS "User=hcmail\nSystemCallArchitectures=native\n",
          EXIM_DISABLED, "", "the listener's daemon (exim4.service) is not enabled", NULL, NULL },
        { "no msmtp: unmet, says what to install", SENDS "User=hcmail\nSystemCallArchitectures=native\n",
          EXIM_NO_MSMTP, "", "no program that submits there is installed (install msmtp)", NULL, NULL },
        { "PrivateNetwork=yes: the host's loopback is out of reach", SENDS "User=hcmail\nPrivateNetwork=yes\n"
          "SystemCallArchitectures=native\n", EXIM_LOOPBACK, "", "PrivateNetwork=yes: the unit cannot reach", NULL, NULL },
        { "no MTA at all", SENDS "User=hcmail\nNoNewPrivileges=yes\n", NO_MTA, "", NULL, NULL, NULL },
};

/* An MTA as its package installs it: the sendmail link or file, the set-ID helper with its
 * owner, group and mode, its configuration, and the dpkg database that says who ships it. */
typedef struct Packaged {
        Mta mta;
        const char *package, *link, *helper;
        uid_t uid;
        gid_t gid;
        mode_t mode;
        const char *config_path, *config;
} Packaged;

static const Packaged packaged[] = {
        { EXIM, "exim4-daemon-light", "exim4", "/usr/sbin/exim4", 0, 0, 04755, NULL, NULL },
        { EXIM_LOOPBACK, "exim4-daemon-light", "exim4", "/usr/sbin/exim4", 0, 0, 04755,
          "/etc/exim4/update-exim4.conf.conf", "dc_eximconfig_configtype='local'\ndc_local_interfaces='127.0.0.1 ; ::1'\n" },
        { EXIM_LOOPBACK_PORT, "exim4-daemon-light", "exim4", "/usr/sbin/exim4", 0, 0, 04755,
          "/etc/exim4/update-exim4.conf.conf", "dc_local_interfaces=' [::1]:2525 ; [127.0.0.1]:2525'\n" },
        { EXIM_QUEUEONLY, "exim4-daemon-light", "exim4", "/usr/sbin/exim4", 0, 0, 04755,
          "/etc/default/exim4", "QUEUERUNNER='queueonly'\n" },
        { EXIM_DISABLED, "exim4-daemon-light", "exim4", "/usr/sbin/exim4", 0, 0, 04755,
          "/etc/exim4/update-exim4.conf.conf", "dc_local_interfaces='127.0.0.1'\n" },
        { EXIM_NO_MSMTP, "exim4-daemon-light", "exim4", "/usr/sbin/exim4", 0, 0, 04755,
          "/etc/exim4/update-exim4.conf.conf", "dc_local_interfaces='127.0.0.1'\n" },
        { NULLMAILER, "nullmailer", NULL, "/usr/sbin/nullmailer-queue", 8, 0, 04755, NULL, NULL },
        { SSMTP, "ssmtp", "ssmtp", "/usr/sbin/ssmtp", 0, 8, 02755, "/etc/ssmtp/ssmtp.conf",
          "root=postmaster\nmailhub=192.0.2.26:587\n" },
        { SENDMAIL_MSP, "sendmail-bin", "/etc/alternatives/sendmail", "/usr/libexec/sendmail/sendmail", 0, 209, 02755,
          NULL, NULL },
        { SSMTP_BY_NAME, "ssmtp", "ssmtp", "/usr/sbin/ssmtp", 0, 8, 02755, "/etc/ssmtp/ssmtp.conf",
          "# relay\nMailHub = relay.example:25 # the hub\n" },
        { MSMTP_NO_HOST, "msmtp-mta", "../bin/msmtp", "/usr/bin/msmtp", 0, 0, 0755, "/etc/msmtprc",
          "defaults\nport 25\naccount default\nfrom a@example.org\n" },
        { DMA_NO_SMARTHOST, "dma", "dma", "/usr/sbin/dma", 0, 8, 02755, "/etc/dma/dma.conf", "#SMARTHOST mail.example\n" },
};

static void install_packaged(const char *root, const Packaged *m) {
        char *status = NULL, *list = NULL, *files = NULL, *p;

        if (!m->link)
                tu_write(root, "/usr/sbin/sendmail", "\177ELF");
        else {
                tu_symlink(root, "/usr/sbin/sendmail", m->link);
                if (m->link[0] == '/')          /* the alternatives system */
                        tu_symlink(root, m->link, m->helper);
        }
        tu_write(root, m->helper, "\177ELF");
        p = tu_path(root, m->helper);
        ck_assert_int_eq(chown(p, m->uid, m->gid), 0);
        ck_assert_int_eq(chmod(p, m->mode), 0);
        free(p);
        if (m->config)
                tu_write(root, m->config_path, m->config);
        tu_write(root, "/etc/passwd", "root:x:0:0::/root:/bin/sh\nmail:x:8:8::/var/mail:/bin/sh\n"
                                      "hcmail:x:999:999::/:/bin/sh\n");
        tu_write(root, "/etc/group", "root:x:0:\nmail:x:8:\nsmmsp:x:209:\n");
        ck_assert_int_ge(asprintf(&status, "Package: %s\nStatus: install ok installed\nArchitecture: amd64\n"
                                           "Version: 1\nMaintainer: T <t@example.org>\nDescription: x\n\n", m->package), 0);
        ck_assert_int_ge(asprintf(&list, "/var/lib/dpkg/info/%s.list", m->package), 0);
        /* sendmail-bin's /usr/sbin/sendmail belongs to no package: an alternative's slave */
        ck_assert_int_ge(asprintf(&files, "%s%s\n", m->mta == SENDMAIL_MSP ? "" : "/usr/sbin/sendmail\n", m->helper), 0);
        tu_write(root, "/var/lib/dpkg/status", status);
        tu_write(root, list, files);
        free(status);
        free(list);
        free(files);
}

static void make_root(const char *root, const Case *c) {
        char *unit = strjoin("[Service]\n", c->unit), *p;

        tu_write(root, "/lib/systemd/system/x.service", unit);
        tu_write(root, "/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n");
        tu_write(root, "/etc/passwd", "root:x:0:0::/root:/bin/sh\nhcmail:x:999:999::/:/bin/sh\n");
        tu_write(root, "/etc/group", "root:x:0:\npostdrop:x:1234:\n");
        tu_write(root, "/bin/sh", "\177ELF");
        tu_write(root, "/bin/true", "\177ELF");
        tu_write(root, "/usr/local/bin/report", "#!/bin/sh\ndf | /usr/sbin/sendmail -t root\n");
        p = tu_path(root, "/usr/local/bin/report");
        ck_assert_int_eq(chmod(p, 0755), 0);
        free(p);
        if (c->mta == POSTFIX || c->mta == POSTFIX_NO_DPKG) {
                tu_write(root, "/usr/sbin/sendmail", "\177ELF postfix");
                tu_symlink(root, "/usr/lib/sendmail", "../sbin/sendmail");
                tu_write(root, "/usr/sbin/postdrop", "\177ELF postdrop");
                p = tu_path(root, "/usr/sbin/postdrop");
                ck_assert_int_eq(chown(p, 0, 1234), 0);
                ck_assert_int_eq(chmod(p, 02555), 0);
                free(p);
        }
        if (c->mta == POSTFIX) {
                tu_write(root, "/var/lib/dpkg/status", "Package: postfix\nStatus: install ok installed\nArchitecture: amd64\n"
                                                        "Version: 3.7\nMaintainer: T <t@example.org>\nDescription: x\n\n");
                tu_write(root, "/var/lib/dpkg/info/postfix.list", "/usr/sbin/sendmail\n/usr/lib/sendmail\n/usr/sbin/postdrop\n");
        }
        for (size_t i = 0; i < ELEMENTSOF(packaged); i++)
                if (packaged[i].mta == c->mta)
                        install_packaged(root, &packaged[i]);
        if (c->config)
                tu_write(root, "/etc/hardening-compat/hardening-compat.conf", c->config);
        tu_write(root, "/etc/hosts", "127.0.0.1 localhost\n198.51.100.26 relay.example relay\n");
        if (c->mta == MSMTP) {
                tu_write(root, "/usr/bin/msmtp", "\177ELF msmtp");
                tu_symlink(root, "/usr/sbin/sendmail", "../bin/msmtp");
                tu_write(root, "/etc/msmtprc", "# system\ndefaults\nport 25\naccount other\nhost 198.51.100.1\n"
                                               "account main\nhost 192.0.2.25\naccount default : main\n");
                tu_write(root, "/var/lib/dpkg/status", "Package: msmtp-mta\nStatus: install ok installed\nArchitecture: amd64\n"
                                                        "Version: 1\nMaintainer: T <t@example.org>\nDescription: x\n\n");
                tu_write(root, "/var/lib/dpkg/info/msmtp-mta.list", "/usr/sbin/sendmail\n");
        }
        if (c->mta >= EXIM_LOOPBACK && c->mta <= EXIM_NO_MSMTP) {
                tu_write(root, "/etc/init.d/exim4", "#!/bin/sh\n");
                if (c->mta != EXIM_DISABLED)
                        tu_symlink(root, "/etc/rc2.d/S01exim4", "../init.d/exim4");
                tu_symlink(root, "/etc/rc6.d/K01exim4", "../init.d/exim4");
                if (c->mta != EXIM_NO_MSMTP) {
                        tu_write(root, "/usr/bin/msmtp", "\177ELF msmtp");
                        p = tu_path(root, "/usr/bin/msmtp");
                        ck_assert_int_eq(chmod(p, 0755), 0);
                        free(p);
                }
        }
        if (c->mta == UNKNOWN_MTA) {
                tu_write(root, "/opt/mymta/bin/submit", "\177ELF");
                tu_symlink(root, "/usr/sbin/sendmail", "/opt/mymta/bin/submit");
        }
        if (strstr(c->name, "mail-sender rule"))
                tu_write(root, "/etc/hardening-compat/fragments.d/mail-sender-test.rules",
                         "[Rule]\nKind=mail-sender\nName=test\nUnits=x.service\nProgram=/bin/true\nSource=test\n");
        free(unit);
}

START_TEST(test_case) {
        const Case *c = &cases[_i];
        char *root = tu_mkroot(), *got, *all, *j[4];
        char **mail = NULL;
        TuPlan x;

        make_root(root, c);
        tu_plan_open(&x, root);
        ck_assert_int_eq(mail_use_find_for_unit(&x.f, &x.t.root, &x.rs, x.u, &x.v.sb, &mail), 0);
        tu_plan_run(&x, NULL, NULL, mail);

        got = tu_directive_lines(x.p.text);
        ck_assert_msg(streq(got, c->lines), "%s: got lines\n%s\nexpected\n%s\n%s", c->name, got, c->lines, strempty(x.p.text));
        j[0] = strv_join(mail, " | ");
        j[1] = strv_join(x.nl.notes, " | ");
        j[2] = strv_join(x.nl.unknown, " | ");
        j[3] = strv_join(x.p.unmet, " | ");
        all = strjoin(strempty(x.p.text), strempty(j[0]), strempty(j[1]), strempty(j[2]), strempty(j[3]));
        for (size_t i = 0; i < x.t.diags.n; i++) {
                char *d = strjoin(all, "\n", x.t.diags.items[i].message);
                free(all);
                all = d;
        }
        if (c->text)
                ck_assert_msg(strstr(all, c->text), "%s: '%s' not in\n%s", c->name, c->text, all);
        if (c->files) {
                char *files = strdup("");

                for (size_t i = 0; i < x.p.n_files; i++) {
                        char *t = strjoin(files, x.p.files[i].text);
                        free(files);
                        files = t;
                }
                ck_assert_msg(strstr(files, c->files), "%s: '%s' not in the files\n%s", c->name, c->files, files);
                free(files);
        } else
                ck_assert_uint_eq(x.p.n_files, 0);
        if (c->mta == NO_MTA) {
                ck_assert_ptr_null(x.f.mta.path);
                ck_assert_ptr_null(mail);       /* nothing read: no submission path to break */
        }

        for (int i = 0; i < 4; i++)
                free(j[i]);
        free(all);
        free(got);
        strv_free(mail);
        tu_plan_close(&x);
        tu_rmrf(root);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("mta");
        TCase *tc = tcase_create("Core");

        tcase_add_loop_test(tc, test_case, 0, ELEMENTSOF(cases));
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

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
        NO_MTA,
} Mta;

typedef struct Case {
        const char *name;
        const char *unit;       /* [Service] body of x.service */
        Mta mta;
        const char *lines;      /* expected directives, "\n"-joined */
        const char *text;       /* in the drop-in, the mail evidence, notes, unknown or unmet */
        const char *config;     /* /etc/hardening-compat/hardening-compat.conf */
} Case;

#define SENDS "ExecStart=/bin/sh -c \"echo x | /usr/sbin/sendmail root\"\n"

static const Case cases[] = {
        { "NoNewPrivileges=yes: the helper's group", SENDS "User=hcmail\nNoNewPrivileges=yes\n", POSTFIX,
          "SupplementaryGroups=postdrop", "which NoNewPrivileges=yes (/lib/systemd/system/x.service:4) keeps", NULL },
        { "implied NoNewPrivileges: the same", SENDS "User=hcmail\nSystemCallArchitectures=native\n", POSTFIX,
          "SupplementaryGroups=postdrop", "that SystemCallArchitectures= (/lib/systemd/system/x.service:4) implies", NULL },
        { "ProtectSystem=strict: the queue directory", SENDS "User=hcmail\nProtectSystem=strict\n", POSTFIX,
          "ReadWritePaths=-/var/spool/postfix/maildrop", "# postfix, the MTA behind sendmail", NULL },
        { "AF_INET-only unit: AF_UNIX for pickup", SENDS "User=hcmail\nRestrictAddressFamilies=AF_INET\n", POSTFIX,
          "RestrictAddressFamilies=AF_UNIX\nSupplementaryGroups=postdrop", NULL, NULL },
        { "root caller: no group needed", SENDS "NoNewPrivileges=yes\n", POSTFIX, "", NULL, NULL },
        { "unhardened: nothing read, nothing written", SENDS "User=hcmail\n", POSTFIX, "", NULL, NULL },
        { "hardened but sends no mail", "ExecStart=/bin/true\nUser=hcmail\nNoNewPrivileges=yes\n", POSTFIX, "", NULL, NULL },
        { "'+' command: outside the sandbox", "ExecStart=+/bin/sh -c \"echo x | /usr/sbin/sendmail root\"\n"
          "User=hcmail\nNoNewPrivileges=yes\n", POSTFIX, "", NULL, NULL },
        { "script naming /usr/sbin/sendmail", "ExecStart=/usr/local/bin/report\nUser=hcmail\nNoNewPrivileges=yes\n",
          POSTFIX, "SupplementaryGroups=postdrop", "/usr/local/bin/report, which names /usr/sbin/sendmail", NULL },
        { "mail(1) on the command line", "ExecStart=/bin/sh -c \"df | mail -s disk root\"\nUser=hcmail\nNoNewPrivileges=yes\n",
          POSTFIX, "SupplementaryGroups=postdrop", "runs mail", NULL },
        { "a mail-sender rule names the unit", "ExecStart=/bin/true\nUser=hcmail\nNoNewPrivileges=yes\n", POSTFIX,
          "SupplementaryGroups=postdrop", "rule mail-sender-test.rules", NULL },
        { "no dpkg database: Sendmail= matches", SENDS "User=hcmail\nNoNewPrivileges=yes\n", POSTFIX_NO_DPKG,
          "SupplementaryGroups=postdrop", NULL, NULL },
        { "unknown MTA: reported, nothing granted", SENDS "User=hcmail\nNoNewPrivileges=yes\n", UNKNOWN_MTA, "",
          "no Kind=mta rule describes it", NULL },
        { "exim4, explicit NoNewPrivileges=yes: switched off", SENDS "User=hcmail\nNoNewPrivileges=yes\n", EXIM,
          "NoNewPrivileges=no", "/usr/sbin/exim4, setuid root, which NoNewPrivileges=yes keeps", NULL },
        { "exim4, implied NoNewPrivileges: cannot work, nothing written", SENDS "User=hcmail\nNoNewPrivileges=yes\n"
          "SystemCallArchitectures=native\nProtectSystem=strict\n", EXIM, "",
          "without removing SystemCallArchitectures= (/lib/systemd/system/x.service:5)", NULL },
        { "exim4 under ProtectSystem=strict: spool, log, mailboxes", SENDS "User=hcmail\nProtectSystem=strict\n", EXIM,
          "ReadWritePaths=-/var/spool/exim4\nReadWritePaths=-/var/log/exim4\nReadWritePaths=-/var/mail", NULL, NULL },
        { "exim4 under a bounding set: its capabilities", SENDS "User=hcmail\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n",
          EXIM, "CapabilityBoundingSet=CAP_CHOWN\nCapabilityBoundingSet=CAP_DAC_OVERRIDE\nCapabilityBoundingSet=CAP_FOWNER\n"
          "CapabilityBoundingSet=CAP_SETGID\nCapabilityBoundingSet=CAP_SETUID", NULL, NULL },
        { "exim4, root with a system call filter: only the explicit NoNewPrivileges=yes counts",
          SENDS "NoNewPrivileges=yes\nSystemCallFilter=@system-service\n", EXIM, "NoNewPrivileges=no", NULL, NULL },
        { "nullmailer, explicit NoNewPrivileges=yes", SENDS "User=hcmail\nNoNewPrivileges=yes\nProtectSystem=full\n",
          NULLMAILER, "NoNewPrivileges=no", NULL, NULL },
        { "nullmailer, RestrictAddressFamilies= implies it", SENDS "User=hcmail\nRestrictAddressFamilies=AF_UNIX\n",
          NULLMAILER, "", "cannot be made to work without removing RestrictAddressFamilies=", NULL },
        { "msmtp: the smarthost only, fenced; /tmp under ProtectSystem=strict",
          SENDS "User=hcmail\nRestrictAddressFamilies=AF_UNIX\nProtectSystem=strict\n", MSMTP,
          "RestrictAddressFamilies=AF_INET\nIPAddressDeny=0.0.0.0/0\nIPAddressAllow=192.0.2.25\nReadWritePaths=-/tmp",
          "server 192.0.2.25 (/etc/msmtprc:7)", NULL },
        { "msmtp with NoNewPrivileges=yes only: nothing", SENDS "User=hcmail\nNoNewPrivileges=yes\n", MSMTP, "", NULL, NULL },
        { "Senders= of hardening-compat.conf", "ExecStart=/bin/true\nUser=hcmail\nNoNewPrivileges=yes\n", POSTFIX,
          "SupplementaryGroups=postdrop", "Senders= of /etc/hardening-compat/hardening-compat.conf:2",
          "[Mail]\nSenders=x.service y.service\n" },
        { "NotSenders= wins over the command line", SENDS "User=hcmail\nNoNewPrivileges=yes\n", POSTFIX, "", NULL,
          "[Mail]\nNotSenders=x.service\n" },
        { "NoNewPrivilegesOff=no: setuid MTA left unmet", SENDS "User=hcmail\nNoNewPrivileges=yes\n", EXIM, "",
          "NoNewPrivilegesOff=no (/etc/hardening-compat/hardening-compat.conf:3) forbids", "[Mail]\n# no\nNoNewPrivilegesOff=no\n" },
        { "ssmtp: the mail group, the mailhub", SENDS "User=hcmail\nSystemCallArchitectures=native\nIPAddressDeny=any\n",
          SSMTP, "IPAddressAllow=192.0.2.26\nSupplementaryGroups=mail", "server 192.0.2.26 (/etc/ssmtp/ssmtp.conf:2", NULL },
        { "sendmail's MSP checks its group: NoNewPrivileges=no, 127.0.0.1",
          SENDS "User=hcmail\nNoNewPrivileges=yes\nRestrictAddressFamilies=AF_UNIX\n", SENDMAIL_MSP, "",
          "is setgid smmsp and checks that it runs with that group", NULL },
        { "sendmail's MSP, explicit NoNewPrivileges=yes only", SENDS "User=hcmail\nNoNewPrivileges=yes\nIPAddressDeny=any\n",
          SENDMAIL_MSP, "IPAddressAllow=127.0.0.1\nNoNewPrivileges=no", NULL, NULL },
        { "dma without SMARTHOST: any MX, unmet", SENDS "User=hcmail\nIPAddressDeny=any\n", DMA_NO_SMARTHOST, "",
          "any host", NULL },
        { "a mailhub by name: resolved in the root's /etc/hosts", SENDS "User=hcmail\nIPAddressDeny=any\n", SSMTP_BY_NAME,
          "IPAddressAllow=198.51.100.26", "relay.example resolved when generated", NULL },
        { "msmtprc without a host: unmet, nothing written", SENDS "User=hcmail\nIPAddressDeny=any\n", MSMTP_NO_HOST, "",
          "/etc/msmtprc names no host for the default account", NULL },
        { "hardening-compat.conf with a bad unit name and an unknown key: the rest still applies",
          "ExecStart=/bin/true\nUser=hcmail\nNoNewPrivileges=yes\n", POSTFIX, "SupplementaryGroups=postdrop",
          "'../x' is not a unit name", "[Mail]\nSenders=../x x.service\nColour=blue\n" },
        { "no MTA at all", SENDS "User=hcmail\nNoNewPrivileges=yes\n", NO_MTA, "", NULL, NULL },
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

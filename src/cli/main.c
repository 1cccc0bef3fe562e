/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * hardening-compat: keep hardened systemd units working with the NSS modules (and later
 * PAM modules, foreign architectures and MTAs) this host runs inside them. See README.md.
 */

#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "macro.h"
#include "strv.h"

static void help(void) {
        printf("Usage: hardening-compat [OPTIONS...] COMMAND [UNIT...]\n\n"
               "Relax hardened systemd units exactly as far as this host's NSS configuration needs,\n"
               "with one drop-in per unit, " "/etc/systemd/system/UNIT.d/zz-hardening-compat.conf.\n\n"
               "Commands:\n"
               "  regenerate       Write, update and remove the drop-ins (then reload systemd)\n"
               "  status           Show the host's facts and every unit's drop-in\n"
               "  explain UNIT...  Show a unit's effective sandbox, needs and drop-in, with evidence\n"
               "  diff             Show what regenerate would change, as a unified diff\n"
               "  why-failed UNIT  Read the unit's last failure from the journal and name the sandbox\n"
               "                   setting that caused it, and what hardening-compat does about it\n\n"
               "Options:\n"
               "  -h --help             Show this help\n"
               "     --version          Show the version\n"
               "     --root=DIR         Inspect and write the system installed in DIR (offline)\n"
               "     --rules-dir=DIR    Read built-in rules from DIR instead of %s/fragments.d\n"
               "     --dry-run          regenerate: print what would change, write nothing\n"
               "     --no-reload        regenerate: do not ask systemd to reload\n"
               "     --restart          regenerate: restart the running units whose sandbox changed\n"
               "     --json=pretty|short  status, explain, why-failed: print JSON\n"
               "  -q --quiet            regenerate: print only errors\n"
               "     --no-pager         Accepted for systemctl's sake: output is never paged, and\n"
               "                        never coloured\n"
               "     --list-inputs[=FILE]  Debug: after the command, list every file of the root read\n"
               "                        and directory listed (host paths, sorted, unique) on stderr\n"
               "                        or in FILE; not the dpkg database files libdpkg reads\n\n"
               "On the running system, regenerate reloads systemd when a drop-in changed, names the\n"
               "running units that need a restart (or restarts them with --restart), and logs the run\n"
               "to the journal. Not for another --root, in a chroot, or under DPKG_ROOT.\n\n"
               "Exit status: 0 success (diff: no difference), 1 failure (regenerate: also when systemd\n"
               "could not be reloaded or a restart failed), 2 invalid usage or unit name, 3 diff:\n"
               "differences, 4 explain, why-failed: no such unit or not loadable.\n", DATADIR);
}

enum { ARG_VERSION = 0x100, ARG_ROOT, ARG_RULES_DIR, ARG_DRY_RUN, ARG_NO_RELOAD, ARG_RESTART, ARG_JSON, ARG_LIST_INPUTS,
       ARG_NO_PAGER };

static int parse_argv(int argc, char **argv, Options *o) {
        static const struct option options[] = {
                { "help",      no_argument,       NULL, 'h'           },
                { "version",   no_argument,       NULL, ARG_VERSION   },
                { "root",      required_argument, NULL, ARG_ROOT      },
                { "rules-dir", required_argument, NULL, ARG_RULES_DIR },
                { "dry-run",   no_argument,       NULL, ARG_DRY_RUN   },
                { "no-reload", no_argument,       NULL, ARG_NO_RELOAD },
                { "restart",   no_argument,       NULL, ARG_RESTART   },
                { "json",      optional_argument, NULL, ARG_JSON      },
                { "quiet",     no_argument,       NULL, 'q'           },
                { "list-inputs", optional_argument, NULL, ARG_LIST_INPUTS },
                { "no-pager",  no_argument,       NULL, ARG_NO_PAGER  },
                {}
        };
        int c;

        while ((c = getopt_long(argc, argv, "hq", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("hardening-compat %s\n", VERSION);
                        return 0;
                case ARG_ROOT:
                        o->root = optarg;
                        break;
                case ARG_RULES_DIR:
                        o->rules_dir = optarg;
                        break;
                case ARG_DRY_RUN:
                        o->dry_run = true;
                        break;
                case ARG_NO_RELOAD:
                        o->no_reload = true;
                        break;
                case ARG_RESTART:
                        o->restart = true;
                        break;
                case ARG_JSON:
                        if (!optarg || streq(optarg, "pretty"))
                                o->json = JSON_PRETTY;
                        else if (streq(optarg, "short"))
                                o->json = JSON_SHORT;
                        else {
                                print_error("--json= takes 'pretty' or 'short', not '%s'.", optarg);
                                return -EINVAL;
                        }
                        break;
                case 'q':
                        o->quiet = true;
                        break;
                case ARG_LIST_INPUTS:
                        o->list_inputs = true;
                        o->list_inputs_file = optarg;
                        break;
                case ARG_NO_PAGER:
                        /* output never goes through a pager: accepted as systemctl accepts it */
                        break;
                default:
                        return -EINVAL;
                }
        return 1;
}

/* --list-inputs: write the recorded list; a list that cannot be written fails the run. */
static int list_inputs(const Options *o, int ret) {
        _cleanup_fclose_ FILE *f = NULL;

        if (!o->list_inputs)
                return ret;
        if (o->list_inputs_file) {
                f = fopen(o->list_inputs_file, "we");
                if (!f) {
                        print_error("cannot open '%s': %s", o->list_inputs_file, strerror(errno));
                        return EXIT_FAIL;
                }
        }
        if (root_inputs_write(f ?: stderr) < 0) {
                print_error("cannot write the list of inputs");
                return EXIT_FAIL;
        }
        return ret;
}

int main(int argc, char **argv) {
        Options o = { .root = "/" };
        _cleanup_free_ char *err = NULL, *rules_dir = NULL;
        const char *verb;
        Engine e;
        int r, ret;

        r = parse_argv(argc, argv, &o);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_OK;
        if (optind >= argc) {
                print_error("a command is needed; see --help.");
                return EXIT_USAGE;
        }
        verb = argv[optind++];
        if (!streq(verb, "regenerate") && !streq(verb, "status") && !streq(verb, "explain") && !streq(verb, "diff") &&
            !streq(verb, "why-failed")) {
                print_error("unknown command '%s'; see --help.", verb);
                return EXIT_USAGE;
        }
        if (streq(verb, "explain") ? optind >= argc : streq(verb, "why-failed") ? optind + 1 != argc : optind < argc) {
                print_error("%s %s; see --help.", verb,
                        streq(verb, "explain") ? "needs at least one unit name" :
                        streq(verb, "why-failed") ? "takes one unit name" : "takes no arguments");
                return EXIT_USAGE;
        }
        if ((o.dry_run || o.restart) && !streq(verb, "regenerate")) {
                print_error("--%s applies to regenerate only.", o.dry_run ? "dry-run" : "restart");
                return EXIT_USAGE;
        }
        if (o.restart && (o.dry_run || o.no_reload)) {
                /* A restart before the reload would start the unit with its old sandbox. */
                print_error("--restart cannot be combined with --%s.",
                        o.dry_run ? "dry-run" : "no-reload");
                return EXIT_USAGE;
        }

        if (o.rules_dir) {
                /* Rules are read from the host, by absolute path. */
                rules_dir = realpath(o.rules_dir, NULL);
                if (!rules_dir) {
                        print_error("cannot use rules directory '%s': %s", o.rules_dir, strerror(errno));
                        return EXIT_FAIL;
                }
        }
        root_inputs_record(o.list_inputs);
        r = engine_open(&e, o.root, rules_dir ?: DATADIR "/fragments.d", &err);
        if (r < 0) {
                print_diags(&e.diags, false);
                print_error("%s", err);
                engine_close(&e);
                return list_inputs(&o, EXIT_FAIL);
        }
        if (streq(verb, "explain"))
                ret = verb_explain(&e, &o, argv + optind);
        else if (streq(verb, "why-failed"))
                ret = verb_why_failed(&e, &o, argv[optind]);
        else {
                /* these show no unit's sandbox: each unit's is released once it is planned;
                 * regenerate and diff show no needs either */
                e.lean = true;
                e.lean_needs = !streq(verb, "status");
                r = engine_plan_all(&e);
                if (r < 0) {
                        print_error("cannot plan: %s", strerror(-r));
                        engine_close(&e);
                        return list_inputs(&o, EXIT_FAIL);
                }
                if (!streq(verb, "status"))
                        print_diags(&e.diags, false);
                ret = streq(verb, "regenerate") ? verb_regenerate(&e, &o) :
                      streq(verb, "status") ? verb_status(&e, &o) : verb_diff(&e, &o);
        }
        engine_close(&e);
        return list_inputs(&o, ret);
}

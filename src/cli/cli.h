/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The command line: parsed options, verbs, exit codes and output helpers. */

#include <json-c/json.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "engine.h"

/* Exit codes (also in --help and README.md). */
enum {
        EXIT_OK = 0,            /* done; diff: no difference */
        EXIT_FAIL = 1,          /* a failure: unreadable root, a file that could not be written,
                                 * regenerate: systemd not reloaded, a --restart that failed */
        EXIT_USAGE = 2,         /* bad option, verb or unit name */
        EXIT_DIFFERS = 3,       /* diff: the drop-ins on disk differ from the plan */
        EXIT_NO_UNIT = 4,       /* explain: no such unit, or systemd would not load it */
};

typedef enum JsonMode {
        JSON_OFF,
        JSON_SHORT,
        JSON_PRETTY,
} JsonMode;

typedef struct Options {
        const char *root;
        const char *rules_dir;
        JsonMode json;
        bool dry_run;
        bool no_reload;
        bool quiet;
        bool restart;           /* regenerate: restart the running units whose sandbox changed */
        bool list_inputs;       /* --list-inputs: print the root's files read, dirs listed */
        const char *list_inputs_file;   /* ... to this file instead of stderr */
} Options;

int verb_regenerate(Engine *e, const Options *o);
int verb_status(Engine *e, const Options *o);
int verb_explain(Engine *e, const Options *o, char **units);
int verb_diff(Engine *e, const Options *o);
int verb_why_failed(Engine *e, const Options *o, const char *unit);

/* Diagnostics to stderr as "hardening-compat: FILE:LINE: message". */
/* "hardening-compat: MESSAGE" on stderr, control characters escaped: always one line. */
void print_error(const char *fmt, ...) _printf_(1, 2);
void print_diags(const DiagList *d, bool notices);
void print_json(json_object *o, JsonMode mode);
/* JSON of one unit result, shared by status and explain. */
json_object *json_unit(const Engine *e, const UnitResult *u, bool details);
json_object *json_diags(const DiagList *d);
json_object *json_strv_new(char * const *l);
/* What regenerate would do with a unit's drop-in: "create", "update", "remove", … */
const char *dropin_status(const UnitResult *u);

/* PID 1 over sd-bus (reload.c, restart.c). */
#define MANAGER_DESTINATION "org.freedesktop.systemd1"
#define MANAGER_PATH "/org/freedesktop/systemd1"
#define MANAGER_INTERFACE "org.freedesktop.systemd1.Manager"

/* Whether root is the system the running systemd manages: the host's root, not under a
 * DPKG_ROOT of another root, booted with systemd, and PID 1's root (not a chroot). */
bool systemd_online(const Root *root);
/* Connect to PID 1: its private socket as root, else the system bus. 0, or -errno and a
 * one-line *ret_error. */
int manager_connect(sd_bus **ret, char **ret_error);
/* daemon-reload; waits for it to finish. 0, or -errno and a one-line *ret_error. */
int manager_reload(sd_bus *bus, char **ret_error);
/* The error's message, else strerror(-r). */
const char *bus_error_string(const sd_bus_error *error, int r);

/* Whether a running unit must be restarted for a change of its drop-in (NULL: none) to take
 * effect: a setting line systemd applies at exec time changed (not only IPAddressAllow=,
 * IPAddressDeny=, DeviceAllow=, which a reload applies to the running cgroup). */
bool dropin_change_needs_restart(const char *old_text, const char *new_text);
/* Of the units names (a template standing for its instances), those running: active or
 * reloading and not "exited". *ret sorted. 0, or -errno and a one-line *ret_error. */
int units_running(sd_bus *bus, char * const *names, char ***ret, char **ret_error);
/* restart-pending.c: of the units names, those running that started before our drop-in was
 * last written (so they run without it). 0, or -errno and a one-line *ret_error. */
int units_restart_pending(sd_bus *bus, char * const *names, char ***ret, char **ret_error);
/* TryRestartUnit(mode "replace") for each unit, then wait for the jobs. Prints what it did
 * ("restarted UNIT" unless quiet) and every failure. The unit we run in is only named (its
 * restart would kill us). Returns the number of failures, or -errno; *ret_restarted lists
 * the units restarted. */
int units_restart(sd_bus *bus, char * const *units, bool quiet, char ***ret_restarted);

/* The journal entry of a regenerate run (journal-log.c). Its MESSAGE_ID, made once with
 * systemd-id128 new, is in README.md. */
#define HC_RUN_MESSAGE_ID "ff82e858e4334eac81eb44e9d83dcf75"

typedef struct RunLog {
        const char *root;
        const char *error;      /* why nothing was written, or NULL */
        unsigned created, updated, removed, failed;
        char **changed;         /* units whose drop-in was created, updated or removed */
        bool reloaded;
        char **restart;         /* running units that need a restart, not restarted */
        char **restarted;       /* units --restart restarted */
        int exit_status;
} RunLog;

/* Send the run's entry to the journal; a journal that cannot take it is ignored. */
void journal_log_run(const RunLog *l);

/* A unified diff of two texts (full-file hunk) to stdout. */
void print_unified_diff(const char *path, const char *old_text, const char *new_text);

/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The command line: parsed options, verbs, exit codes and output helpers. */

#include <json-c/json.h>
#include <stdbool.h>

#include "engine.h"

/* Exit codes (also in --help and README.md). */
enum {
        EXIT_OK = 0,            /* done; diff: no difference */
        EXIT_FAIL = 1,          /* a failure: unreadable root, a file that could not be written */
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
} Options;

int verb_regenerate(Engine *e, const Options *o);
int verb_status(Engine *e, const Options *o);
int verb_explain(Engine *e, const Options *o, char **units);
int verb_diff(Engine *e, const Options *o);

/* Diagnostics to stderr as "hardening-compat: FILE:LINE: message". */
void print_diags(const DiagList *d, bool notices);
void print_json(json_object *o, JsonMode mode);
/* JSON of one unit result, shared by status and explain. */
json_object *json_unit(const Engine *e, const UnitResult *u, bool details);
json_object *json_diags(const DiagList *d);
json_object *json_strv_new(char * const *l);
/* What regenerate would do with a unit's drop-in: "create", "update", "remove", … */
const char *dropin_status(const UnitResult *u);

/* Ask PID 1 to reload units (sd-bus), when root is the running system. */
int reload_systemd(const Root *root, char **ret_error);

/* A unified diff of two texts (full-file hunk) to stdout. */
void print_unified_diff(const char *path, const char *old_text, const char *new_text);

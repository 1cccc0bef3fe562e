/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Unit names as systemd 252 validates and takes them apart (src/basic/unit-name.c):
 * "prefix[@instance].type", at most 255 bytes, characters [A-Za-z0-9:_.\-] plus '@'.
 * Every unit name that reaches a path is validated here first, so a name like
 * "../x.service" can never become a directory under /etc/systemd/system.
 */

#include <stdbool.h>

typedef enum UnitNameFlags {
        UNIT_NAME_PLAIN    = 1 << 0,  /* foo.service */
        UNIT_NAME_TEMPLATE = 1 << 1,  /* foo@.service */
        UNIT_NAME_INSTANCE = 1 << 2,  /* foo@bar.service */
        UNIT_NAME_ANY      = UNIT_NAME_PLAIN | UNIT_NAME_TEMPLATE | UNIT_NAME_INSTANCE,
} UnitNameFlags;

#define UNIT_NAME_MAX 256

bool unit_name_is_valid(const char *n, UnitNameFlags flags);
bool unit_type_is_valid(const char *type);
/* "service" for "foo.service"; NULL if n has no valid type suffix. */
const char *unit_name_type(const char *n);
bool unit_prefix_is_valid(const char *p);
/* Classify n; on success *ret_instance is the instance (NULL unless an instance). */
int unit_name_to_instance(const char *n, char **ret_instance);
/* "foo@.service" for "foo@bar.service". -EINVAL if n is not an instance. */
int unit_name_template(const char *n, char **ret);
/* "foo@bar.service" from a template and an instance. */
int unit_name_replace_instance(const char *tmpl, const char *instance, char **ret);
/* The part before '@' or before the suffix. */
int unit_name_to_prefix(const char *n, char **ret);
/* "foo-bar" → "foo\x2dbar", "/" → "-" (systemd's unit_name_escape). */
char *unit_name_escape(const char *s);
/* Reverse of the above: "-" → "/", "\xNN" → byte. */
int unit_name_unescape(const char *s, char **ret);
/* As unit_name_unescape(), with the leading "/" a path needs ("-" alone is "/"). */
int unit_name_path_unescape(const char *s, char **ret);

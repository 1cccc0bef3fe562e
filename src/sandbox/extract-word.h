/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Word splitting with the semantics of systemd 252's extract_first_word(): separators
 * coalesce, '…' and "…" quote (EXTRACT_UNQUOTE), a backslash escapes the next character,
 * or starts a C escape with EXTRACT_CUNESCAPE. Unit file values are split with this, so a
 * value means to us what it means to systemd.
 */

typedef enum ExtractFlags {
        EXTRACT_UNQUOTE         = 1 << 0,
        EXTRACT_CUNESCAPE       = 1 << 1,
        EXTRACT_UNESCAPE_RELAX  = 1 << 2,  /* keep unknown escapes verbatim */
        /* Each separator ends a word, even an empty one: "a::b" is "a", "", "b", and *p
         * stays just past the separator (so p[-1] tells which one ended the word). */
        EXTRACT_DONT_COALESCE_SEPARATORS = 1 << 3,
} ExtractFlags;

/* Returns 1 and a word, 0 at the end, -EINVAL on unbalanced quotes or a bad escape,
 * -ENOMEM. *p advances past the word (NULL at the end). separators NULL = WHITESPACE. */
int extract_first_word(const char **p, char **ret, const char *separators, ExtractFlags flags);

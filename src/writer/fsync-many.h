/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/*
 * fsync() each of fds, errs[i] set to 0 or -errno. A few threads share the list: an fsync
 * whose data the journal already committed still waits for a cache flush of the device,
 * and the block layer merges the flushes that concurrent fsyncs ask for into one, where
 * one after another each waits for its own (a third of the time for 400 directories).
 */
void fsync_many(const int *fds, int *errs, size_t n);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The system call ABIs a unit executes (exec-abi.h) against its SystemCallArchitectures=.
 * systemd 252's seccomp_restrict_archs() never blocks its native ABI and blocks every
 * other ABI the kernel runs (seccomp_local_archs[]) that the set does not name; an empty
 * set installs no filter at all. So a need exists only for a non-native ABI the kernel
 * runs, on a unit whose set is non-empty: a binary of an ABI the kernel cannot run
 * directly goes through a binfmt_misc emulator, whose system calls are native.
 */
#include "exec-abi.h"
#include "macro.h"
#include "needs-internal.h"
#include "strv.h"

/* The ABIs of the commands that run inside the sandbox: see exec-abi.h. */
int exec_abi_find_for_unit(Facts *f, const Root *root, const Unit *u, const Sandbox *sb, ExecAbiList *ret,
                           DiagList *diags) {
        _cleanup_free_ ExecLine *lines = calloc(sb->n_exec + 1, sizeof(ExecLine));
        ExecAbiUnit info = { .exec = lines, .restricted = sb->archs != 0 };

        if (!lines)
                return -ENOMEM;
        for (size_t i = 0; i < sb->n_exec; i++) {
                const ExecCommand *c = &sb->exec[i];

                /* "+": systemd applies no seccomp filter to it (needs_sandboxing is false) */
                if ((c->flags & EXEC_FULLY_PRIVILEGED) || !c->path)
                        continue;
                lines[info.n_exec++] = (ExecLine) { .key = c->key, .path = c->path, .file = facts_path_in_root(f, c->file),
                                                    .line = c->line };
        }
        if (u->n_files > 0 && u->files[0].is_fragment)
                info.unit_file = u->files[0].path;
        return exec_abi_find(f, root, &info, ret, diags);
}

/* "ExecStart=/usr/bin/hello (/etc/…/x.service:5)" or "/usr/lib/x/helper (shipped by x:i386)" */
static char *what_runs(const ExecAbi *e) {
        char *s = NULL;

        if (e->key)
                asprintf_safe(&s, "%s=%s (%s)", e->key, e->command, e->origin);
        else
                asprintf_safe(&s, "%s (shipped by %s)", e->file, e->origin);
        return s;
}

int needs_compute_abis(const Facts *f, const UnitView *v, const ExecAbiList *exec, NeedList *out) {
        const HostArchs *a = &f->archs;

        for (size_t i = 0; exec && i < exec->n; i++) {
                const ExecAbi *e = &exec->items[i];
                _cleanup_free_ char *what = what_runs(e), *how = exec_abi_how(e), *chain = NULL, *detail = NULL;
                int r = 0;

                if (!what || !how)
                        return -ENOMEM;
                if (e->error || streq_ptr(e->abi, a->native_abi))
                        continue;
                if (!e->abi)
                        r = strv_extend_uniqf(v->sb.archs ? &out->unmet : &out->notes,
                                     "%s runs %s, %s: systemd 252 has no SystemCallArchitectures= name for it%s", what,
                                     e->elf, e->description, v->sb.archs ? ", so the unit cannot run it" : "");
                else if (!host_archs_runs_natively(a, e->abi))
                        r = strv_extend_uniqf(&out->notes, "%s runs %s, an %s binary: a %s kernel does not execute it itself; "
                                     "through a binfmt_misc emulator (qemu-user) its system calls are native ones",
                                     what, e->elf, e->abi, strempty(a->native_abi));
                else if (v->sb.archs == 0)
                        r = strv_extend_uniqf(&out->notes, "%s runs %s, an %s binary; SystemCallArchitectures= is not set, "
                                     "so every ABI is allowed", what, e->elf, e->abi);
                else {
                        if (asprintf_safe(&chain, "%s → %s (%s): %s system calls", what, how, e->description, e->abi) < 0)
                                return -ENOMEM;
                        if (!e->key)
                                r = asprintf_safe(&detail, "%s is an %s binary; %s ships it along with the unit's commands",
                                                  e->file, e->abi, e->origin);
                        else if (e->interpreters)
                                r = asprintf_safe(&detail, "%s runs an %s binary, its interpreter %s", what, e->abi, e->elf);
                        else
                                r = asprintf_safe(&detail, "%s runs an %s binary%s%s%s", what, e->abi,
                                                  e->packages ? " [" : "", e->packages ? e->packages[0] : "", e->packages ? "]" : "");
                        if (r < 0)
                                return -ENOMEM;
                        r = need_list_add(out, &(NeedKey) { .kind = NEED_ABI, .value = e->abi },
                                          &(NeedReason) { .chain = chain, .detail = detail });
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

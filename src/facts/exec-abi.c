/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/stat.h>

#include "archs.h"
#include "dpkg.h"
#include "elf.h"
#include "exec-abi.h"
#include "macro.h"
#include "strv.h"

#define ET_EXEC_ 2
#define ET_DYN_ 3

/* What one file is, read once per run. */
typedef struct FileAbi {
        char *path;
        int error;              /* elf_identify()'s, or exec_resolve()'s */
        ElfInfo info;
        char **packages;
        bool identified;        /* error and info are set: read only for what asks them */
        bool packages_done;
} FileAbi;

typedef struct Helper {
        char *path;
        const char *abi;
        char *description;
} Helper;

/* The executable ELF files of a package whose ABI is not native. */
typedef struct PackageAbis {
        char *package;
        Helper *helpers;
        size_t n, cap;
} PackageAbis;

static void package_abis_done(PackageAbis *p) {
        for (size_t i = 0; i < p->n; i++) {
                free(p->helpers[i].path);
                free(p->helpers[i].description);
        }
        free(p->helpers);
        free(p->package);
        *p = (PackageAbis) {};
}

static char *describe(const ElfInfo *e) {
        char *s = NULL;

        asprintf_safe(&s, "ELF %s-bit %s, e_machine %u%s", e->is_64 ? "64" : "32", e->big_endian ? "MSB" : "LSB",
                      (unsigned) e->machine, e->abi ? "" : ", an ABI systemd has no name for");
        return s;
}

static const char *error_text(int error) {
        switch (error) {
        case -ENOEXEC:
                return "neither an ELF file nor a \"#!\" script";
        case -EBADMSG:
                return "truncated or malformed ELF header";
        case -ELOOP:
                return "\"#!\" interpreters nested deeper than 4";
        case -ENOENT:
                return "not found in the root";
        default:
                return strerror(-error);
        }
}

/* Looked up for every executable of every unit: through a hash index, or a run would be
 * quadratic in units. */
static const char *file_key(const void *ctx, size_t i) {
        return ((const Facts *) ctx)->file_abis[i].path;
}

static FileAbi *file_cache(Facts *f, const char *path) {
        size_t i = str_index_find(&f->file_abi_index, path, file_key, f);

        return i == (size_t) -1 ? NULL : &f->file_abis[i];
}

/* The cache entry of a file, its ELF header not read yet. */
static int file_entry(Facts *f, const char *path, FileAbi **ret) {
        FileAbi *c = file_cache(f, path);

        if (c) {
                *ret = c;
                return 0;
        }
        if (GROW(f->file_abis, f->file_abis_cap, f->n_file_abis + 1) < 0)
                return -ENOMEM;
        c = &f->file_abis[f->n_file_abis];
        *c = (FileAbi) { .path = strdup(path) };
        if (!c->path)
                return -ENOMEM;
        f->n_file_abis++;
        if (str_index_add(&f->file_abi_index, f->n_file_abis, file_key, f) < 0)
                return -ENOMEM;         /* the entry stays in the list, freed with it */
        *ret = c;
        return 0;
}

static int identify(Facts *f, const Root *root, const char *path, FileAbi **ret) {
        FileAbi *c;
        int r = file_entry(f, path, &c);

        if (r < 0)
                return r;
        if (!c->identified) {
                r = elf_identify(root, path, &c->info);
                if (r == -ENOMEM)
                        return r;
                c->error = r < 0 ? r : 0;
                c->identified = true;
        }
        *ret = c;
        return 0;
}

/* The packages shipping path, asked of dpkg once per file. */
static int packages_of(Facts *f, const Root *root, const char *path, char ***ret, DiagList *diags) {
        FileAbi *m;
        int r;

        r = file_entry(f, path, &m);
        if (r < 0)
                return r;
        if (!m->packages_done) {
                r = dpkg_owners(root, path, &m->packages, diags);
                if (r == -ENOMEM)
                        return r;
                m->packages_done = true;
        }
        *ret = m->packages;
        return 0;
}

static const char *package_arch(const char *package) {
        const char *colon = strrchr(package, ':');
        return colon ? colon + 1 : NULL;
}

static int scan_package(Facts *f, const Root *root, const char *package, const PackageAbis **ret, DiagList *diags) {
        _cleanup_strv_free_ char **files = NULL;
        PackageAbis p = {};
        int r;

        for (size_t i = 0; i < f->n_package_abis; i++)
                if (streq(f->package_abis[i].package, package)) {
                        *ret = &f->package_abis[i];
                        return 0;
                }
        p.package = strdup(package);
        if (!p.package)
                return -ENOMEM;
        r = dpkg_package_files(root, package, &files, diags);
        if (r == -ENOMEM)
                goto oom;
        STRV_FOREACH(file, files) {
                FileAbi *c;
                struct stat st;

                /* Executables only: dh_fixperms leaves libraries without execute bits, so this
                 * skips the shared objects a package ships for its own ABI. */
                if (root_stat(root, *file, false, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
                        continue;
                if (identify(f, root, *file, &c) < 0)
                        goto oom;
                if (c->error < 0 || c->info.interpreters || !c->info.abi || streq(c->info.abi, f->archs.native_abi) ||
                    (c->info.type != ET_EXEC_ && c->info.type != ET_DYN_))
                        continue;
                if (GROW(p.helpers, p.cap, p.n + 1) < 0)
                        goto oom;
                p.helpers[p.n++] = (Helper) { .path = strdup(*file), .abi = c->info.abi, .description = describe(&c->info) };
                if (!p.helpers[p.n - 1].path || !p.helpers[p.n - 1].description)
                        goto oom;
        }
        if (GROW(f->package_abis, f->package_abis_cap, f->n_package_abis + 1) < 0)
                goto oom;
        f->package_abis[f->n_package_abis] = p;
        *ret = &f->package_abis[f->n_package_abis++];
        return 0;
oom:
        package_abis_done(&p);
        return -ENOMEM;
}

static void exec_abi_done(ExecAbi *e) {
        free(e->key);
        free(e->origin);
        free(e->command);
        free(e->file);
        free(e->elf);
        strv_free(e->interpreters);
        free(e->description);
        strv_free(e->packages);
        free(e->error);
}

void exec_abi_list_done(ExecAbiList *l) {
        for (size_t i = 0; i < l->n; i++)
                exec_abi_done(&l->items[i]);
        free(l->items);
        *l = (ExecAbiList) {};
}

void exec_abi_cache_done(Facts *f) {
        for (size_t i = 0; i < f->n_file_abis; i++) {
                free(f->file_abis[i].path);
                elf_info_done(&f->file_abis[i].info);
                strv_free(f->file_abis[i].packages);
        }
        free(f->file_abis);
        str_index_done(&f->file_abi_index);
        for (size_t i = 0; i < f->n_package_abis; i++)
                package_abis_done(&f->package_abis[i]);
        free(f->package_abis);
        f->file_abis = NULL;
        f->package_abis = NULL;
        f->n_file_abis = f->file_abis_cap = f->n_package_abis = f->package_abis_cap = 0;
}

char *exec_abi_how(const ExecAbi *e) {
        _cleanup_free_ char *chain = NULL, *pkgs = NULL;
        char *s = NULL;

        if (!e->key) {
                asprintf_safe(&s, "ELF header of %s; %s ships it along with the unit's commands", e->elf, e->origin);
                return s;
        }
        if (e->interpreters) {
                _cleanup_free_ char *j = strv_join(e->interpreters, " → ");

                if (!j || asprintf_safe(&chain, "\"#!%s\" → ", j) < 0)
                        return NULL;
        }
        if (e->packages) {
                _cleanup_free_ char *j = strv_join(e->packages, ", ");

                if (!j || asprintf_safe(&pkgs, " [%s]", j) < 0)
                        return NULL;
        }
        asprintf_safe(&s, "%sELF header of %s%s", strempty(chain), strempty(e->elf), strempty(pkgs));
        return s;
}

static bool has_foreign_archs(const Facts *f) {
        return f->archs.dpkg_foreign && f->archs.dpkg_foreign[0];
}

/* A package of a foreign architecture (not "all", not dpkg's native one). */
static bool package_is_foreign(const Facts *f, const char *package) {
        const char *arch = package_arch(package);

        return arch && !streq(arch, "all") && !streq_ptr(arch, f->archs.dpkg_native);
}

static int add_entry(ExecAbiList *l, ExecAbi *e) {
        if (GROW(l->items, l->cap, l->n + 1) < 0) {
                exec_abi_done(e);
                return -ENOMEM;
        }
        l->items[l->n++] = *e;
        return 0;
}

/* One Exec*= command: resolve, identify, and (with foreign architectures) its packages. */
static int add_command(Facts *f, const Root *root, const ExecAbiUnit *u, const ExecLine *x, ExecAbiList *l,
                       char ***packages, DiagList *diags) {
        ExecAbi e = {};
        FileAbi *c;
        int r;

        e.key = strdup(x->key);
        e.command = strdup(x->path);
        if (!e.key || !e.command || asprintf_safe(&e.origin, "%s:%u", x->file, x->line) < 0)
                goto oom;
        r = exec_resolve(root, x->path, &e.file);
        if (r == -ENOMEM)
                goto oom;
        if (r < 0) {
                e.file = NULL;
                if (!(e.error = strdup(error_text(r))))
                        goto oom;
                return add_entry(l, &e);
        }
        r = identify(f, root, e.file, &c);
        if (r < 0)
                goto oom;
        if (c->error < 0) {
                if (!(e.error = strdup(error_text(c->error))))
                        goto oom;
                if (u->restricted && c->error != -ENOENT)
                        diag_add(diags, DIAG_WARNING, e.file, 0, "cannot tell which system call ABI it uses (%s), "
                                 "run by %s", error_text(c->error), e.origin);
                return add_entry(l, &e);
        }
        e.abi = c->info.abi;
        e.elf = strdup(c->info.path);
        e.description = describe(&c->info);
        if (!e.elf || !e.description || (c->info.interpreters && !(e.interpreters = strv_copy(c->info.interpreters))))
                goto oom;
        if (has_foreign_archs(f)) {
                const char *files[] = { e.file, e.elf };

                for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                        char **p;

                        if (i == 1 && streq(files[0], files[1]))
                                break;
                        r = packages_of(f, root, files[i], &p, diags);
                        if (r < 0)
                                goto oom;
                        STRV_FOREACH(q, p)
                                if (strv_extend_uniq(&e.packages, *q) < 0 || strv_extend_uniq(packages, *q) < 0)
                                        goto oom;
                }
        }
        return add_entry(l, &e);
oom:
        exec_abi_done(&e);
        return -ENOMEM;
}

static bool listed(const ExecAbiList *l, const char *path) {
        for (size_t i = 0; i < l->n; i++)
                if (streq_ptr(l->items[i].file, path) || streq_ptr(l->items[i].elf, path))
                        return true;
        return false;
}

int exec_abi_find(Facts *f, const Root *root, const ExecAbiUnit *u, ExecAbiList *ret, DiagList *diags) {
        _cleanup_strv_free_ char **packages = NULL;
        int r;

        *ret = (ExecAbiList) {};
        for (size_t i = 0; i < u->n_exec; i++) {
                r = add_command(f, root, u, &u->exec[i], ret, &packages, diags);
                if (r < 0)
                        goto fail;
        }
        if (!has_foreign_archs(f))
                return 0;
        if (u->unit_file) {
                char **p;

                r = packages_of(f, root, u->unit_file, &p, diags);
                if (r < 0)
                        goto fail;
                STRV_FOREACH(q, p)
                        if (strv_extend_uniq(&packages, *q) < 0)
                                goto oom;
        }
        /* The helpers: only packages of a foreign architecture, or packages that ship a
         * foreign-ABI file among the unit's commands, are read file by file. */
        STRV_FOREACH(pkg, packages) {
                const PackageAbis *p;

                if (!package_is_foreign(f, *pkg))
                        continue;
                r = scan_package(f, root, *pkg, &p, diags);
                if (r < 0)
                        goto fail;
                for (size_t k = 0; k < p->n; k++) {
                        ExecAbi e = { .abi = p->helpers[k].abi };

                        if (listed(ret, p->helpers[k].path))
                                continue;
                        e.command = strdup(p->helpers[k].path);
                        e.file = strdup(p->helpers[k].path);
                        e.elf = strdup(p->helpers[k].path);
                        e.origin = strdup(*pkg);
                        e.description = strdup(p->helpers[k].description);
                        if (strv_extend(&e.packages, *pkg) < 0 || !e.command || !e.file || !e.elf || !e.origin ||
                            !e.description) {
                                exec_abi_done(&e);
                                goto oom;
                        }
                        r = add_entry(ret, &e);
                        if (r < 0)
                                goto fail;
                }
        }
        return 0;
oom:
        r = -ENOMEM;
fail:
        exec_abi_list_done(ret);
        return r;
}

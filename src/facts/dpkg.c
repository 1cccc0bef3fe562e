/* SPDX-License-Identifier: GPL-2.0-or-later */
#define LIBDPKG_VOLATILE_API 1

#include <setjmp.h>
#include <sys/stat.h>

#include <dpkg/arch.h>
#include <dpkg/db-fsys.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/dpkg.h>
#include <dpkg/ehandle.h>
#include <dpkg/fsys.h>
#include <dpkg/program.h>

#include "dpkg.h"
#include "macro.h"
#include "strv.h"

static struct {
        char *root;             /* the root whose database is open */
        bool inited, opened, lists;
        char error[512];
} db;

static void save_error(const char *emsg, const void *data) {
        (void) data;
        snprintf(db.error, sizeof(db.error), "%s", emsg);
}

static char *admindir_of(const Root *root) {
        const char *env = getenv("DPKG_ADMINDIR");

        if (!isempty(env))
                return strdup(env);
        return root_host_path(root, "/var/lib/dpkg");
}

/* Run fn(data) inside a libdpkg error context: libdpkg reports errors by longjmp, which
 * ends here as -EIO with a diagnostic. fn returns 0 or -ENOMEM. */
static int guarded(DiagList *diags, const char *what, int (*fn)(void *data), void *data) {
        jmp_buf jb;
        volatile int r = 0;

        push_error_context_jump(&jb, save_error, what);
        if (setjmp(jb)) {
                pop_error_context(ehflag_bombout);
                diag_add(diags, DIAG_ERROR, NULL, 0, "dpkg database: %s", db.error);
                return -EIO;
        }
        r = fn(data);
        pop_error_context(ehflag_normaltidy);
        return r;
}

static int do_set_dirs(void *data) {
        const char *const *dirs = data;

        dpkg_fsys_set_dir(dirs[0]);
        dpkg_db_set_dir(dirs[1]);
        return 0;
}

static int do_open(void *data) {
        (void) data;
        modstatdb_open(msdbrw_readonly);
        return 0;
}

static int do_load_archs(void *data) {
        (void) data;
        dpkg_arch_load_list();
        return 0;
}

/* Point libdpkg at the root's database: nothing is read yet. */
static int db_select(const Root *root, DiagList *diags) {
        _cleanup_free_ char *admin = NULL, *status = NULL;
        struct stat st;

        if (db.root)
                return streq(db.root, root->path) ? 0 : -EBUSY;  /* libdpkg is global: one root per process */
        admin = admindir_of(root);
        status = admin ? strjoin(admin, "/status") : NULL;
        if (!status)
                return -ENOMEM;
        if (stat(status, &st) < 0)
                return -ENOENT;
        if (!db.inited) {
                dpkg_program_init("hardening-compat");
                db.inited = true;
        }
        db.root = strdup(root->path);
        if (!db.root)
                return -ENOMEM;
        return guarded(diags, "reading the dpkg database", do_set_dirs, (const char *[]) { root->path, admin });
}

/* The package status database, read once (about 10 ms for 1,000 packages): only the
 * owner and file list queries need it. */
static int db_open(const Root *root, DiagList *diags) {
        int r = db_select(root, diags);

        if (r < 0 || db.opened)
                return r;
        db.opened = true;
        return guarded(diags, "reading the dpkg database", do_open, NULL);
}

int dpkg_load_archs(const Root *root, DpkgArchs *ret, DiagList *diags) {
        int r;

        *ret = (DpkgArchs) {};
        r = db_select(root, diags);
        if (r < 0)
                return r;
        /* <admindir>/arch only, as "dpkg --print-foreign-architectures" reads it; the native
         * architecture is the one libdpkg was built for. */
        r = guarded(diags, "reading the dpkg architectures", do_load_archs, NULL);
        if (r < 0)
                return r;
        for (struct dpkg_arch *a = dpkg_arch_get_list(); a; a = a->next) {
                if (a->type == DPKG_ARCH_NATIVE) {
                        free(ret->native);
                        ret->native = strdup(a->name);
                        if (!ret->native)
                                return -ENOMEM;
                } else if (a->type == DPKG_ARCH_FOREIGN && strv_extend(&ret->foreign, a->name) < 0)
                        return -ENOMEM;
        }
        return 0;
}

void dpkg_archs_done(DpkgArchs *a) {
        free(a->native);
        strv_free(a->foreign);
        *a = (DpkgArchs) {};
}

/* /lib/x → also /usr/lib/x, and back: dpkg knows files by the name in the package. */
static int spellings(const char *path, char ***ret) {
        static const char *const dirs[] = { "/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/" };
        const char *rest;

        if (strv_extend(ret, path) < 0)
                return -ENOMEM;
        rest = startswith(path, "/usr");
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                if (rest && startswith(rest, dirs[i]))
                        return strv_extend(ret, rest);
                if (startswith(path, dirs[i]))
                        return strv_consume(ret, strjoin("/usr", path));
        }
        return 0;
}

static int do_owners(void *data) {
        char **names = ((void **) data)[0], ***owners = ((void **) data)[1];
        int r = 0;

        if (!db.lists) {
                ensure_allinstfiles_available_quiet();
                ensure_diversions();
                db.lists = true;
        }
        STRV_FOREACH(n, names) {
                struct fsys_namenode *node = fsys_hash_find_node(*n, FHFF_NONE);
                struct fsys_node_pkgs_iter *it;
                struct pkginfo *p;

                if (!node)
                        continue;
                it = fsys_node_pkgs_iter_new(node);
                while ((p = fsys_node_pkgs_iter_next(it)))
                        if (strv_extend_uniq(owners, pkg_name(p, pnaw_always)) < 0)
                                r = -ENOMEM;
                fsys_node_pkgs_iter_free(it);
        }
        return r;
}

int dpkg_owners(const Root *root, const char *path, char ***ret, DiagList *diags) {
        _cleanup_strv_free_ char **names = NULL, **owners = NULL;
        int r;

        *ret = NULL;
        r = db_open(root, diags);
        if (r < 0)
                return r;
        r = spellings(path, &names);
        if (r < 0)
                return r;
        r = guarded(diags, "reading package file lists", do_owners, (void *[]) { names, &owners });
        if (r < 0)
                return r;
        *ret = TAKE_PTR(owners);
        return 0;
}

static int do_package_files(void *data) {
        const char *name = ((void **) data)[0], *arch_name = ((void **) data)[1];
        char ***files = ((void **) data)[2];
        struct dpkg_arch *arch = arch_name ? dpkg_arch_find(arch_name) : NULL;
        struct pkginfo *p = arch ? pkg_hash_find_pkg(name, arch) : pkg_hash_find_singleton(name);

        if (!p)
                return 0;
        ensure_packagefiles_available(p);
        for (struct fsys_namenode_list *f = p->files; f; f = f->next)
                if (strv_extend(files, f->namenode->name) < 0)
                        return -ENOMEM;
        return 0;
}

int dpkg_package_files(const Root *root, const char *package, char ***ret, DiagList *diags) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *name = strdup(package);
        char *colon;
        int r;

        *ret = NULL;
        if (!name)
                return -ENOMEM;
        r = db_open(root, diags);
        if (r < 0)
                return r;
        colon = strchr(name, ':');
        if (colon)
                *colon++ = '\0';
        r = guarded(diags, "reading a package file list", do_package_files, (void *[]) { name, colon, &files });
        if (r < 0)
                return r;
        *ret = TAKE_PTR(files);
        return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <endian.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>

#include "elf.h"
#include "macro.h"
#include "strindex.h"
#include "strv.h"

#ifndef MULTIARCH
#define MULTIARCH "x86_64-linux-gnu"
#endif

#define SCRIPT_DEPTH 4
#define LIBS_MAX 256
#define ELF_MAX_READ (64U << 20)        /* headers and dynamic data live well below this */
/* systemd 252's exec search path for a split-usr build (DEFAULT_PATH). */
#define EXEC_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

enum {
        EM_386_ = 3, EM_MIPS_ = 8, EM_PARISC_ = 15, EM_PPC_ = 20, EM_PPC64_ = 21, EM_S390_ = 22,
        EM_ARM_ = 40, EM_X86_64_ = 62, EM_AARCH64_ = 183, EM_RISCV_ = 243,
};
#define EF_MIPS_ABI2_ 0x20

const char *elf_abi_name(bool is_64, bool big_endian, uint16_t machine, uint32_t flags) {
        switch (machine) {
        case EM_386_:
                return !is_64 && !big_endian ? "x86" : NULL;
        case EM_X86_64_:
                return big_endian ? NULL : is_64 ? "x86-64" : "x32";
        case EM_AARCH64_:
                return is_64 && !big_endian ? "arm64" : NULL;
        case EM_ARM_:
                return !is_64 && !big_endian ? "arm" : NULL;
        case EM_PPC64_:
                return is_64 ? (big_endian ? "ppc64" : "ppc64-le") : NULL;
        case EM_PPC_:
                return !is_64 && big_endian ? "ppc" : NULL;
        case EM_S390_:
                return big_endian ? (is_64 ? "s390x" : "s390") : NULL;
        case EM_RISCV_:
                return is_64 && !big_endian ? "riscv64" : NULL;
        case EM_PARISC_:
                return big_endian ? (is_64 ? "parisc64" : "parisc") : NULL;
        case EM_MIPS_:
                if (is_64)
                        return big_endian ? "mips64" : "mips64-le";
                if (flags & EF_MIPS_ABI2_)
                        return big_endian ? "mips64-n32" : "mips64-le-n32";
                return big_endian ? "mips" : "mips-le";
        default:
                return NULL;
        }
}

void elf_info_done(ElfInfo *e) {
        free(e->path);
        strv_free(e->interpreters);
        *e = (ElfInfo) {};
}

typedef struct ElfFile {
        int fd;
        uint64_t size;
        bool is_64, big;
} ElfFile;

static int read_at(const ElfFile *f, uint64_t off, void *buf, size_t n) {
        ssize_t k;

        if (off > f->size || n > f->size - off)
                return -EBADMSG;
        k = pread(f->fd, buf, n, (off_t) off);
        if (k < 0)
                return -errno;
        return (size_t) k == n ? 0 : -EBADMSG;
}

/* An n-byte field in the file's byte order. The ELF fields are 2, 4 or 8 bytes: loaded
 * whole, since a byte at a time was most of the cost of reading a dynamic section. */
static uint64_t get(const ElfFile *f, const uint8_t *p, unsigned n) {
        uint64_t v = 0;

        switch (n) {
        case 2: {
                uint16_t x;

                memcpy(&x, p, 2);
                return f->big ? be16toh(x) : le16toh(x);
        }
        case 4: {
                uint32_t x;

                memcpy(&x, p, 4);
                return f->big ? be32toh(x) : le32toh(x);
        }
        case 8: {
                uint64_t x;

                memcpy(&x, p, 8);
                return f->big ? be64toh(x) : le64toh(x);
        }
        }
        for (unsigned i = 0; i < n; i++)
                v |= (uint64_t) p[f->big ? n - 1 - i : i] << (8 * i);
        return v;
}

static int open_elf(const Root *root, const char *path, ElfFile *f) {
        struct stat st;
        int fd;

        fd = root_open(root, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return S_ISDIR(st.st_mode) ? -EISDIR : -EBADFD;
        }
        *f = (ElfFile) { .fd = fd, .size = (uint64_t) st.st_size };
        return 0;
}

/* The kernel reads this much of a file to find "#!" and the interpreter line
 * (BINPRM_BUF_SIZE, 256 since Linux 5.1); ELF headers fit too. */
#define HEADER_BYTES 256

/* 1 for ELF (header parsed), 0 for something else (hdr holds its first bytes). */
static int parse_header(ElfFile *f, uint8_t hdr[HEADER_BYTES], size_t *got) {
        ssize_t k = pread(f->fd, hdr, HEADER_BYTES, 0);

        if (k < 0)
                return -errno;
        *got = (size_t) k;
        if (k < 4 || memcmp(hdr, "\177ELF", 4) != 0)
                return 0;
        if (k < 52 || (hdr[4] != 1 && hdr[4] != 2) || (hdr[5] != 1 && hdr[5] != 2))
                return -EBADMSG;
        f->is_64 = hdr[4] == 2;
        f->big = hdr[5] == 2;
        if (f->is_64 && k < 64)
                return -EBADMSG;
        return 1;
}

int elf_identify(const Root *root, const char *path, ElfInfo *ret) {
        _cleanup_free_ char *cur = strdup(path);
        int r;

        *ret = (ElfInfo) {};
        if (!cur)
                return -ENOMEM;
        for (unsigned depth = 0;; depth++) {
                uint8_t hdr[HEADER_BYTES] = {};
                size_t got = 0;
                ElfFile f;

                r = open_elf(root, cur, &f);
                if (r < 0)
                        goto fail;
                r = parse_header(&f, hdr, &got);
                close(f.fd);
                if (r < 0)
                        goto fail;
                if (r > 0) {
                        ret->is_64 = f.is_64;
                        ret->big_endian = f.big;
                        ret->type = (uint16_t) get(&f, hdr + 16, 2);
                        ret->machine = (uint16_t) get(&f, hdr + 18, 2);
                        ret->flags = (uint32_t) get(&f, hdr + (f.is_64 ? 48 : 36), 4);
                        ret->abi = elf_abi_name(ret->is_64, ret->big_endian, ret->machine, ret->flags);
                        ret->path = TAKE_PTR(cur);
                        return 0;
                }
                if (got < 2 || hdr[0] != '#' || hdr[1] != '!') {
                        r = -ENOEXEC;
                        goto fail;
                }
                if (depth >= SCRIPT_DEPTH) {
                        r = -ELOOP;
                        goto fail;
                }
                {
                        _cleanup_strv_free_ char **w = NULL;
                        char line[HEADER_BYTES + 1];
                        char *next;

                        /* The kernel reads the interpreter line from the first bytes. */
                        memcpy(line, hdr + 2, got - 2);
                        line[got - 2] = '\0';
                        line[strcspn(line, "\n")] = '\0';
                        if (strv_split(line, " \t", &w) < 0) {
                                r = -ENOMEM;
                                goto fail;
                        }
                        if (!w || w[0][0] != '/') {
                                r = -ENOEXEC;
                                goto fail;
                        }
                        if (strv_extend(&ret->interpreters, w[0]) < 0) {
                                r = -ENOMEM;
                                goto fail;
                        }
                        if (path_filename(w[0]) && streq(path_filename(w[0]), "env") && w[1]) {
                                /* "#!/usr/bin/env [-S] NAME": env finds NAME in PATH. */
                                const char *name = streq(w[1], "-S") && w[2] ? w[2] : w[1];

                                r = exec_resolve(root, name, &next);
                                if (r < 0)
                                        goto fail;
                        } else {
                                next = strdup(w[0]);
                                if (!next) {
                                        r = -ENOMEM;
                                        goto fail;
                                }
                        }
                        free(cur);
                        cur = next;
                }
        }
fail:
        elf_info_done(ret);
        return r;
}

int exec_resolve(const Root *root, const char *name, char **ret) {
        _cleanup_strv_free_ char **dirs = NULL;

        if (name[0] == '/') {
                *ret = strdup(name);
                return *ret ? 0 : -ENOMEM;
        }
        if (strchr(name, '/'))
                return -EINVAL;
        if (strv_split(EXEC_PATH, ":", &dirs) < 0)
                return -ENOMEM;
        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *p = path_join(*d, name);
                struct stat st;

                if (!p)
                        return -ENOMEM;
                if (root_stat(root, p, true, &st) >= 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) {
                        *ret = TAKE_PTR(p);
                        return 0;
                }
        }
        return -ENOENT;
}

/* The DT_NEEDED names and the run paths of an ELF file. */
static int dynamic_info(const Root *root, const char *path, char ***ret_needed, char ***ret_paths) {
        uint8_t hdr[HEADER_BYTES] = {};
        size_t got;
        ElfFile f;
        uint64_t phoff, dyn_off = 0, dyn_size = 0, strtab = 0, strsz = 0;
        unsigned phentsize, phnum, dsz;
        _cleanup_free_ uint8_t *dyn = NULL;
        _cleanup_strv_free_ char **needed = NULL, **paths = NULL;
        uint64_t load_v[16], load_o[16], load_s[16];
        _cleanup_free_ uint8_t *phdrs = NULL;
        unsigned n_load = 0;
        int r;

        r = open_elf(root, path, &f);
        if (r < 0)
                return r;
        r = parse_header(&f, hdr, &got);
        if (r <= 0)
                goto out;
        phoff = get(&f, hdr + (f.is_64 ? 32 : 28), f.is_64 ? 8 : 4);
        phentsize = (unsigned) get(&f, hdr + (f.is_64 ? 54 : 42), 2);
        phnum = (unsigned) get(&f, hdr + (f.is_64 ? 56 : 44), 2);
        if (phentsize < (f.is_64 ? 56u : 32u) || phnum > 256) {
                r = -EBADMSG;
                goto out;
        }
        /* the whole table in one read: at most 256 entries of 64 KiB */
        phdrs = malloc((size_t) phnum * phentsize + 1);
        if (!phdrs) {
                r = -ENOMEM;
                goto out;
        }
        r = read_at(&f, phoff, phdrs, (size_t) phnum * phentsize);
        if (r < 0)
                goto out;
        for (unsigned i = 0; i < phnum; i++) {
                const uint8_t *ph = phdrs + (size_t) i * phentsize;
                uint64_t type = get(&f, ph, 4);

                if (type == 1 && n_load < ELEMENTSOF(load_v)) {         /* PT_LOAD */
                        load_o[n_load] = get(&f, ph + (f.is_64 ? 8 : 4), f.is_64 ? 8 : 4);
                        load_v[n_load] = get(&f, ph + (f.is_64 ? 16 : 8), f.is_64 ? 8 : 4);
                        load_s[n_load] = get(&f, ph + (f.is_64 ? 32 : 16), f.is_64 ? 8 : 4);
                        n_load++;
                } else if (type == 2) {                                  /* PT_DYNAMIC */
                        dyn_off = get(&f, ph + (f.is_64 ? 8 : 4), f.is_64 ? 8 : 4);
                        dyn_size = get(&f, ph + (f.is_64 ? 32 : 16), f.is_64 ? 8 : 4);
                }
        }
        r = 0;
        if (!dyn_size)
                goto out;               /* static: needs nothing */
        if (dyn_size > ELF_MAX_READ) {
                r = -EBADMSG;
                goto out;
        }
        dyn = malloc(dyn_size);
        if (!dyn) {
                r = -ENOMEM;
                goto out;
        }
        r = read_at(&f, dyn_off, dyn, dyn_size);
        if (r < 0)
                goto out;
        dsz = f.is_64 ? 16 : 8;
        for (uint64_t o = 0; o + dsz <= dyn_size; o += dsz) {
                uint64_t tag = get(&f, dyn + o, dsz / 2);

                if (tag == 5)
                        strtab = get(&f, dyn + o + dsz / 2, dsz / 2);
                else if (tag == 10)
                        strsz = get(&f, dyn + o + dsz / 2, dsz / 2);
        }
        /* DT_STRTAB is an address: find the file offset through the PT_LOAD segments. */
        for (unsigned i = 0; i < n_load; i++)
                if (strtab >= load_v[i] && strtab < load_v[i] + load_s[i]) {
                        strtab = strtab - load_v[i] + load_o[i];
                        goto found;
                }
        r = -EBADMSG;
        goto out;
found:
        {
                bool have_runpath = false;

                for (uint64_t o = 0; o + dsz <= dyn_size; o += dsz)
                        have_runpath = have_runpath || get(&f, dyn + o, dsz / 2) == 29;
                for (uint64_t o = 0; o + dsz <= dyn_size; o += dsz) {
                        uint64_t tag = get(&f, dyn + o, dsz / 2), val = get(&f, dyn + o + dsz / 2, dsz / 2);
                        char s[512];

                        if (tag != 1 && tag != 29 && !(tag == 15 && !have_runpath))
                                continue;
                        if (val >= strsz) {
                                r = -EBADMSG;
                                goto out;
                        }
                        memset(s, 0, sizeof(s));
                        r = read_at(&f, strtab + val, s, strsz - val < sizeof(s) - 1 ? strsz - val : sizeof(s) - 1);
                        if (r < 0)
                                goto out;
                        r = strv_extend(tag == 1 ? &needed : &paths, s);
                        if (r < 0)
                                goto out;
                }
        }
        r = 0;
out:
        close(f.fd);
        if (r >= 0) {
                *ret_needed = TAKE_PTR(needed);
                *ret_paths = TAKE_PTR(paths);
        }
        return r;
}

/* /etc/ld.so.conf and its includes, inside the root. */
static int ld_so_conf(const Root *root, const char *file, unsigned depth, char ***dirs) {
        _cleanup_free_ char *text = NULL;
        char *save;

        if (depth > 4 || root_read_file(root, file, 1U << 20, &text, NULL) < 0)
                return 0;
        for (char *l = text; l; l = save) {
                save = strchr(l, '\n');
                if (save)
                        *save++ = '\0';
                l[strcspn(l, "#")] = '\0';
                l = strstrip(l);
                if (startswith(l, "include") && strchr(" \t", l[7])) {
                        _cleanup_free_ char *pat = NULL;
                        glob_t g = {};
                        int r = 0;

                        pat = root_host_path(root, strstrip(l + 8));
                        if (!pat)
                                return -ENOMEM;
                        if (glob(pat, 0, NULL, &g) == 0)
                                for (size_t i = 0; i < g.gl_pathc && r >= 0; i++) {
                                        const char *in = root_is_host(root) ? g.gl_pathv[i] : g.gl_pathv[i] + strlen(root->path);
                                        r = ld_so_conf(root, in, depth + 1, dirs);
                                }
                        globfree(&g);
                        if (r < 0)
                                return r;
                } else if (l[0] == '/' && strv_extend_uniq(dirs, l) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* 1 and *ret (the library's path) when found, 0 when not, -ENOMEM. */
static int find_library(const Root *root, const char *soname, char **rpaths, const char *origin, char **conf_dirs,
                        char **ret) {
        static const char *const defaults[] = { "/lib/" MULTIARCH, "/usr/lib/" MULTIARCH, "/lib", "/usr/lib" };
        _cleanup_strv_free_ char **dirs = NULL;

        *ret = NULL;
        STRV_FOREACH(rp, rpaths) {
                _cleanup_strv_free_ char **parts = NULL;

                if (strv_split(*rp, ":", &parts) < 0)
                        return -ENOMEM;
                STRV_FOREACH(p, parts) {
                        const char *o = startswith(*p, "$ORIGIN") ?: startswith(*p, "${ORIGIN}");
                        _cleanup_free_ char *d = o ? strjoin(origin, o) : strdup(*p);

                        if (!d || strv_extend(&dirs, d) < 0)
                                return -ENOMEM;
                }
        }
        STRV_FOREACH(d, conf_dirs)
                if (strv_extend(&dirs, *d) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(defaults); i++)
                if (strv_extend(&dirs, defaults[i]) < 0)
                        return -ENOMEM;
        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *p = path_join(*d, soname);
                struct stat st;

                if (!p)
                        return -ENOMEM;
                if (root_stat(root, p, true, &st) >= 0 && S_ISREG(st.st_mode)) {
                        *ret = TAKE_PTR(p);
                        return 1;
                }
        }
        return 0;
}

/*
 * What elf_needs_library() learns, kept for the rest of the process: it is asked about
 * every executable of every unit, and each walk used to parse the same libraries (libc,
 * libsystemd, ...) again and search the same names through the same directories again (a
 * thousand failed lookups on a Debian root). The root's files do not change while the
 * tool runs; the cache belongs to one root and is emptied when asked about another.
 */
typedef struct DynEntry {
        char *path;
        int r;                  /* dynamic_info()'s answer, never -ENOMEM */
        char **needed, **rpaths;
} DynEntry;

typedef struct LibEntry {
        char *key;              /* the soname, with the origin and run paths when there are any */
        char *found;            /* NULL: not found */
} LibEntry;

typedef struct ElfCache {
        char *root_path;
        dev_t dev;
        ino_t ino;
        bool have_conf;
        char **conf;            /* ld.so.conf's directories */
        DynEntry *dyn;
        size_t n_dyn, dyn_cap;
        StrIndex dyn_index;
        LibEntry *lib;
        size_t n_lib, lib_cap;
        StrIndex lib_index;
} ElfCache;

static ElfCache cache;

void elf_cache_flush(void) {
        for (size_t i = 0; i < cache.n_dyn; i++) {
                free(cache.dyn[i].path);
                strv_free(cache.dyn[i].needed);
                strv_free(cache.dyn[i].rpaths);
        }
        for (size_t i = 0; i < cache.n_lib; i++) {
                free(cache.lib[i].key);
                free(cache.lib[i].found);
        }
        free(cache.dyn);
        free(cache.lib);
        str_index_done(&cache.dyn_index);
        str_index_done(&cache.lib_index);
        strv_free(cache.conf);
        free(cache.root_path);
        cache = (ElfCache) {};
}

/* The cache, for this root: the same path and the same directory (a test may remove a
 * root and make another under the same name). */
static int cache_for(const Root *root) {
        struct stat st = {};

        (void) fstat(root->fd, &st);
        if (cache.root_path && streq(cache.root_path, root->path) && cache.dev == st.st_dev && cache.ino == st.st_ino)
                return 0;
        elf_cache_flush();
        cache.root_path = strdup(root->path);
        if (!cache.root_path)
                return -ENOMEM;
        cache.dev = st.st_dev;
        cache.ino = st.st_ino;
        return 0;
}

static int cached_conf(const Root *root, char ***ret) {
        if (!cache.have_conf) {
                char **conf = NULL;
                int r = ld_so_conf(root, "/etc/ld.so.conf", 0, &conf);

                if (r < 0) {
                        strv_free(conf);
                        return r;
                }
                cache.conf = conf;
                cache.have_conf = true;
        }
        *ret = cache.conf;
        return 0;
}

static const char *dyn_key(const void *ctx, size_t i) {
        (void) ctx;
        return cache.dyn[i].path;
}

static const char *lib_key(const void *ctx, size_t i) {
        (void) ctx;
        return cache.lib[i].key;
}

/* dynamic_info() of path, once. *ret points into the cache: valid until the next call. */
static int cached_dynamic_info(const Root *root, const char *path, const DynEntry **ret) {
        size_t i = str_index_find(&cache.dyn_index, path, dyn_key, NULL);
        DynEntry e = {};

        if (i != (size_t) -1) {
                *ret = &cache.dyn[i];
                return 0;
        }
        e.r = dynamic_info(root, path, &e.needed, &e.rpaths);
        if (e.r == -ENOMEM)
                return e.r;
        e.path = strdup(path);
        if (!e.path || GROW(cache.dyn, cache.dyn_cap, cache.n_dyn + 1) < 0) {
                free(e.path);
                strv_free(e.needed);
                strv_free(e.rpaths);
                return -ENOMEM;
        }
        cache.dyn[cache.n_dyn++] = e;
        if (str_index_add(&cache.dyn_index, cache.n_dyn, dyn_key, NULL) < 0) {
                cache.n_dyn--;
                free(e.path);
                strv_free(e.needed);
                strv_free(e.rpaths);
                return -ENOMEM;
        }
        *ret = &cache.dyn[cache.n_dyn - 1];
        return 0;
}

/* What find_library() depends on besides the root: the run paths, and the origin they
 * may name. Without run paths, the soname alone. */
static char *lib_cache_key(const char *soname, char **rpaths, const char *origin) {
        _cleanup_free_ char *j = NULL;

        if (!rpaths)
                return strdup(soname);
        j = strv_join(rpaths, "\n");
        return j ? strjoin(soname, "\n", origin, "\n", j) : NULL;
}

/* find_library(), once per soname and search path. *ret points into the cache (NULL: not
 * found). 0 or -ENOMEM. */
static int cached_find_library(const Root *root, const char *soname, char **rpaths, const char *origin,
                               char **conf_dirs, const char **ret) {
        _cleanup_free_ char *key = lib_cache_key(soname, rpaths, origin);
        LibEntry e = {};
        size_t i;
        int r;

        if (!key)
                return -ENOMEM;
        i = str_index_find(&cache.lib_index, key, lib_key, NULL);
        if (i != (size_t) -1) {
                *ret = cache.lib[i].found;
                return 0;
        }
        r = find_library(root, soname, rpaths, origin, conf_dirs, &e.found);
        if (r < 0)
                return r;
        if (GROW(cache.lib, cache.lib_cap, cache.n_lib + 1) < 0) {
                free(e.found);
                return -ENOMEM;
        }
        e.key = TAKE_PTR(key);
        cache.lib[cache.n_lib++] = e;
        if (str_index_add(&cache.lib_index, cache.n_lib, lib_key, NULL) < 0) {
                cache.n_lib--;
                free(e.key);
                free(e.found);
                return -ENOMEM;
        }
        *ret = e.found;
        return 0;
}

int elf_needs_library(const Root *root, const char *path, const char *soname, char **ret_via) {
        _cleanup_strv_free_ char **queue = NULL, **via = NULL, **seen = NULL;
        char **conf;
        int r;

        *ret_via = NULL;
        r = cache_for(root);
        if (r < 0)
                return r;
        r = cached_conf(root, &conf);
        if (r < 0)
                return r;
        if (strv_extend(&queue, path) < 0 || strv_extend(&via, path_filename(path)) < 0)
                return -ENOMEM;
        for (size_t i = 0; queue[i] && i < LIBS_MAX; i++) {
                _cleanup_free_ char *origin = path_dirname(queue[i]);
                const DynEntry *d;

                if (!origin)
                        return -ENOMEM;
                r = cached_dynamic_info(root, queue[i], &d);
                if (r < 0)
                        return r;
                if (d->r < 0 && i == 0)
                        return d->r;    /* the file itself is unreadable or malformed */
                if (d->r < 0)
                        continue;
                STRV_FOREACH(n, d->needed) {
                        const char *lib;

                        if (streq(*n, soname)) {
                                *ret_via = strjoin(via[i], " → ", *n);
                                return *ret_via ? 1 : -ENOMEM;
                        }
                        if (strv_contains(seen, *n))
                                continue;
                        if (strv_extend(&seen, *n) < 0)
                                return -ENOMEM;
                        r = cached_find_library(root, *n, d->rpaths, origin, conf, &lib);
                        if (r < 0)
                                return r;
                        if (!lib)
                                continue;
                        if (strv_extend(&queue, lib) < 0 || strv_consume(&via, strjoin(via[i], " → ", *n)) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

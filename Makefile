# hardening-compat — see README.md. GNU make.

VERSION     := 0.1.0
PREFIX      ?= /usr
SBINDIR     ?= $(PREFIX)/sbin
DATADIR     ?= $(PREFIX)/share/hardening-compat
MANDIR      ?= $(PREFIX)/share/man
DESTDIR     ?=

CC          ?= cc
PKG_CONFIG  ?= pkg-config
PKGS        := json-c libsystemd libseccomp
CFLAGS      ?= -O2 -g
WARNINGS    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
               -Wformat=2 -Wno-format-nonliteral -Wvla
# _FORTIFY_SOURCE needs optimisation; sanitizer builds use -O1 as well.
BUILD       ?= build
HC_CFLAGS   := -std=gnu11 $(WARNINGS) -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 \
               -DVERSION='"$(VERSION)"' -DDATADIR='"$(DATADIR)"' \
               -DMULTIARCH='"$(shell $(CC) -print-multiarch)"' \
               $(addprefix -I,$(wildcard src/*)) -I$(BUILD)/gen \
               $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# libdpkg is static only, and needs its private libraries listed.
LIBS        := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) \
               $(shell $(PKG_CONFIG) --static --libs libdpkg 2>/dev/null)

STAGES      := common facts sandbox needs plan writer audit
LIB_SRCS    := $(foreach s,$(STAGES),$(wildcard src/$(s)/*.c))
CLI_SRCS    := $(wildcard src/cli/*.c)
LIB_OBJS    := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
CLI_OBJS    := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(CLI_SRCS))
GEN         := $(BUILD)/gen/af-list.inc $(BUILD)/gen/cap-list.inc $(BUILD)/gen/syscall-groups.inc
BIN         := $(BUILD)/hardening-compat
LIB         := $(BUILD)/libhc.a

TEST_SRCS   := $(wildcard tests/unit/check_*.c)
TEST_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)
# tests/e2e: a libpam client copied into the test beds (Debian 12, like the host).
PAM_PROBE   := $(BUILD)/tests/pam-probe

.PHONY: all check check-unit check-cli check-e2e demo install clean deps asan

all: $(BIN)

$(BUILD)/gen/af-list.inc $(BUILD)/gen/cap-list.inc &: src/sandbox/gen-name-lists.sh
	@mkdir -p $(BUILD)/gen
	sh $< "$(CC)" $(BUILD)/gen

$(BUILD)/gen/syscall-groups.inc: src/sandbox/gen-syscall-groups.sh
	@mkdir -p $(BUILD)/gen
	sh $< $(BUILD)/gen

$(BUILD)/obj/%.o: src/%.c $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(HC_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(BIN): $(CLI_OBJS) $(LIB)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(HC_CFLAGS) $(CFLAGS) -Itests/unit -MMD -MP -o $@ $< $(LIB) $(LIBS) $(TEST_LIBS)

$(PAM_PROBE): tests/e2e/pam-probe.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) -std=gnu11 $(WARNINGS) -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 $(CFLAGS) $(LDFLAGS) -o $@ $< -lpam

# Build dependencies: installed with apt-get when missing and we are root on Debian.
deps:
	@sh tests/install-deps.sh

check: deps
	$(MAKE) check-unit check-cli check-hooks

check-unit: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do \
		HC_SRCDIR=$(CURDIR) CK_DEFAULT_TIMEOUT=60 $$t; \
	done

check-cli: $(BIN)
	@HC_BIN=$(CURDIR)/$(BIN) HC_SRCDIR=$(CURDIR) sh tests/cli/run.sh

# The dpkg post-invoke hook, run by the real dpkg on a scratch root (root not needed).
.PHONY: check-hooks
check-hooks: $(BIN)
	@HC_BIN=$(CURDIR)/$(BIN) HC_SRCDIR=$(CURDIR) sh tests/hooks/run.sh

# E2E_TESTS: a subset, e.g. make check-e2e E2E_TESTS="t-pam.sh t-nss.sh" (default: every t-*.sh).
check-e2e: $(BIN) $(PAM_PROBE)
	@HC_BIN=$(CURDIR)/$(BIN) HC_PAM_PROBE=$(CURDIR)/$(PAM_PROBE) HC_SRCDIR=$(CURDIR) \
		bash tests/e2e/run.sh $(E2E_TESTS)

# Sanitizer build of everything, into its own build directory.
asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" check-unit check-cli check-hooks

demo: $(BIN)
	@sh examples/demo.sh $(BIN)

install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/hardening-compat
	install -d $(DESTDIR)$(DATADIR)/fragments.d
	install -m 0644 fragments/*.rules $(DESTDIR)$(DATADIR)/fragments.d/
	install -D -m 0755 hooks/dpkg-post-invoke $(DESTDIR)$(PREFIX)/libexec/hardening-compat/dpkg-post-invoke
	install -D -m 0644 hooks/dpkg.cfg.d/hardening-compat $(DESTDIR)/etc/dpkg/dpkg.cfg.d/hardening-compat

# The benchmark (bench/README.md): speed, peak RSS and scaling of every command on a real
# Debian 12 root and generated roots of 100 to 5,000 units, side by side with
# systemd-analyze security --offline and the I/O floor. Scratch in /var/tmp/hc-bench
# (HC_BENCH_DIR). bench-smoke (100 units, 2 runs) fails on errors only, never on timing.
.PHONY: bench bench-smoke
bench: $(BIN)
	nice -n 5 bash bench/run-bench.sh $(BIN) fragments
bench-smoke: $(BIN)
	nice -n 5 bash bench/run-bench.sh --smoke $(BIN) fragments

clean:
	rm -rf build build-asan

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(TEST_BINS:=.d)

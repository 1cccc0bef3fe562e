/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pam-probe SERVICE USER: run a PAM service's auth and account stacks for USER, as a
 * sandboxed daemon calling libpam itself would (sshd, cron, a RADIUS server...), so that the
 * e2e tests can show a unit's sandbox breaking a PAM module and a drop-in fixing it.
 *
 *   pam_start(SERVICE, USER) -> pam_authenticate -> pam_acct_mgmt -> pam_end
 *
 * The password comes from the environment variable PAM_PROBE_PASSWORD: the conversation
 * function gives it for every PAM_PROMPT_ECHO_OFF prompt. A PAM_PROMPT_ECHO_ON prompt (an
 * OTP code, a user name) is refused; PAM_TEXT_INFO and PAM_ERROR_MSG go to stderr.
 *
 * Output and exit status:
 *   0  "pam-probe: SERVICE USER: ok" on stdout
 *   1  "pam-probe: SERVICE USER: STEP: pam_strerror()" on stderr (STEP is the failing call)
 *   2  usage error
 */
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "pam-probe"

static const char *password;            /* PAM_PROBE_PASSWORD, or NULL */

static void free_responses(struct pam_response *resp, int n) {
        for (int i = 0; i < n; i++) {
                if (resp[i].resp) {
                        explicit_bzero(resp[i].resp, strlen(resp[i].resp));
                        free(resp[i].resp);
                }
        }
        free(resp);
}

/* Linux-PAM passes msg as an array of n pointers (not a pointer to an array, as Solaris). */
static int converse(int n, const struct pam_message **msg, struct pam_response **ret, void *data) {
        struct pam_response *resp;
        int r = PAM_CONV_ERR;

        (void) data;
        *ret = NULL;
        if (n <= 0 || n > PAM_MAX_NUM_MSG)
                return PAM_CONV_ERR;
        resp = calloc((size_t) n, sizeof(*resp));
        if (!resp)
                return PAM_BUF_ERR;

        for (int i = 0; i < n; i++) {
                const char *text = msg[i]->msg ? msg[i]->msg : "";

                switch (msg[i]->msg_style) {
                case PAM_PROMPT_ECHO_OFF:
                        if (!password) {
                                fprintf(stderr, "%s: prompt '%s': PAM_PROBE_PASSWORD is not set\n",
                                        PROG, text);
                                goto fail;
                        }
                        resp[i].resp = strdup(password);
                        if (!resp[i].resp) {
                                r = PAM_BUF_ERR;
                                goto fail;
                        }
                        break;
                case PAM_PROMPT_ECHO_ON:
                        fprintf(stderr, "%s: prompt '%s' (echo on): not answered\n", PROG, text);
                        goto fail;
                case PAM_ERROR_MSG:
                        fprintf(stderr, "%s: PAM error message: %s\n", PROG, text);
                        break;
                case PAM_TEXT_INFO:
                        fprintf(stderr, "%s: PAM info: %s\n", PROG, text);
                        break;
                default:
                        fprintf(stderr, "%s: unknown message style %d: %s\n", PROG, msg[i]->msg_style, text);
                        goto fail;
                }
        }
        *ret = resp;
        return PAM_SUCCESS;

fail:
        free_responses(resp, n);
        return r;
}

static int failed(pam_handle_t *pamh, const char *service, const char *user, const char *step, int r) {
        fprintf(stderr, "%s: %s %s: %s: %s\n", PROG, service, user, step, pam_strerror(pamh, r));
        return r;
}

int main(int argc, char **argv) {
        const struct pam_conv conv = { converse, NULL };
        pam_handle_t *pamh = NULL;
        const char *service, *user;
        int r, r_end;

        if (argc != 3 || !argv[1][0] || !argv[2][0]) {
                fprintf(stderr, "usage: %s SERVICE USER   (password in $PAM_PROBE_PASSWORD)\n", PROG);
                return 2;
        }
        service = argv[1];
        user = argv[2];
        password = getenv("PAM_PROBE_PASSWORD");

        r = pam_start(service, user, &conv, &pamh);
        if (r != PAM_SUCCESS) {
                failed(pamh, service, user, "pam_start", r);
                if (pamh)
                        (void) pam_end(pamh, r);
                return 1;
        }
        r = pam_authenticate(pamh, 0);
        if (r != PAM_SUCCESS)
                failed(pamh, service, user, "pam_authenticate", r);
        else {
                r = pam_acct_mgmt(pamh, 0);
                if (r != PAM_SUCCESS)
                        failed(pamh, service, user, "pam_acct_mgmt", r);
        }
        r_end = pam_end(pamh, r);
        if (r_end != PAM_SUCCESS) {
                /* pamh is gone: pam_strerror() does not use it in Linux-PAM */
                fprintf(stderr, "%s: %s %s: pam_end: %s\n", PROG, service, user, pam_strerror(NULL, r_end));
                return 1;
        }
        if (r != PAM_SUCCESS)
                return 1;
        printf("%s: %s %s: ok\n", PROG, service, user);
        return fflush(stdout) == 0 ? 0 : 1;
}

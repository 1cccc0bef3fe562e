#!/bin/bash
# completion.sh FILE WORD...: what src/cli/hardening-compat.bash-completion offers for the
# command line WORD... (the last word is the one being completed), one per line. bash-completion's
# own helpers are replaced by stubs that do what the script relies on: the words as typed, no
# "--opt=value" splitting (its loop reads "--root=DIR" itself), directories as "DIR".
_init_completion() {
        cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD split=false
}
_filedir() { COMPREPLY=(DIR); }
compopt() { :; }
# shellcheck source=/dev/null
. "$1"
shift
COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMPREPLY=()
_hardening_compat
printf '%s\n' "${COMPREPLY[@]}"

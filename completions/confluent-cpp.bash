# bash completion for the confluent-cpp tools. The tool answers for itself:
#   TOOL --_complete CWORD WORD0 WORD1 ...
# prints one candidate per line: its options, and node, group and attribute names from the
# local attribute store.
_confluent_cpp() {
    local cur words cword
    if declare -F _get_comp_words_by_ref >/dev/null; then
        _get_comp_words_by_ref -n =:, cur words cword
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
    fi
    local IFS=$'\n'
    COMPREPLY=($("${words[0]}" --_complete "$cword" "${words[@]}" 2>/dev/null))
    if declare -F __ltrim_colon_completions >/dev/null; then
        __ltrim_colon_completions "$cur"
    fi
}
complete -F _confluent_cpp nodeattrib nodegroupattrib nodedefine nodegroupdefine nodelist \
    nodegrouplist noderemove nodegroupremove noderange collate noderun nodeshell \
    nodepower nodesetboot nodeboot nodemedia osdeploy nodedeploy confluent2dnsmasq \
    confluent-deployd imgutil

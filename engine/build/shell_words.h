#pragma once
/// Dockerfile word processing: quote removal, escapes and variable substitution as the
/// Dockerfile reference describes "Environment replacement".
///
///   $VAR  ${VAR}  ${VAR:-word} ${VAR-word}  ${VAR:+word} ${VAR+word}  ${VAR:?msg} ${VAR?msg}
///   ${VAR#glob} ${VAR##glob} ${VAR%glob} ${VAR%%glob}
///
/// Single quotes are literal; inside double quotes the escape character only escapes `"`,
/// `$` and itself; outside quotes it makes the next character literal (`\$foo` -> `$foo`).
/// `word` in the modifiers is itself processed (may nest variables). Unset variables expand
/// to "". Used for FROM, COPY, ADD, ENV, ARG, LABEL, WORKDIR, USER, VOLUME, EXPOSE,
/// STOPSIGNAL; never for RUN/CMD/ENTRYPOINT (the shell in the container does that).
///
/// Pure functions; thread-safe.

#include "engine/base/result.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine::build {

/// Variables visible to substitution: name -> value (a name present with "" is "set").
using VarMap = std::map<std::string, std::string, std::less<>>;

/// Processes one word: substitutes variables and removes quotes and escapes.
/// Fails on an unterminated quote or `${`, a bad modifier, or `${VAR:?msg}` with VAR unset.
Result<std::string> expand_word(std::string_view word, const VarMap& vars, char escape = '\\');

/// Substitutes variables in free text (a heredoc body): quotes are ordinary characters, the
/// escape character only protects `$` and itself.
Result<std::string> expand_text(std::string_view text, const VarMap& vars, char escape = '\\');

/// Splits `text` at unquoted whitespace (quotes and escapes kept, for later processing).
Result<std::vector<std::string>> split_words(std::string_view text, char escape = '\\');

/// split_words() then expand_word() on each.
Result<std::vector<std::string>> expand_words(std::string_view text, const VarMap& vars, char escape = '\\');

/// One `key=value` pair of ENV or LABEL, after expansion.
struct KeyValue {
    std::string key;
    std::string value;
};
/// Parses ENV/LABEL arguments: `k=v k2="a b"` or the legacy `k value with spaces` (only when
/// `allow_legacy`, i.e. ENV). Keys and values are expanded. Fails with Docker's messages:
/// "ENV names can not be blank", "LABEL requires at least one argument", and for a word
/// without `=` in the new form: "Syntax error - can't find = in \"word\". Must be of the form: name=value".
Result<std::vector<KeyValue>> parse_key_values(std::string_view keyword, std::string_view text,
    const VarMap& vars, char escape = '\\', bool allow_legacy = false);

} // namespace wharf::engine::build

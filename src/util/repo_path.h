// Validation of file paths inside a repository.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wharf {

// Returns nullopt for a valid path inside a repo, else a message saying why it is refused:
// empty, longer than 4096 bytes, absolute ("/x"), a trailing '/', empty components ("a//b"),
// "." or ".." components, a ".git" or ".cache" component (any case... ".git" exactly as the
// Hub: case-insensitive), backslashes, NUL or other control characters, invalid UTF-8.
std::optional<std::string> invalid_repo_path(std::string_view path);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or values above U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace wharf

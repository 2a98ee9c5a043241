// One line of the NDJSON commit body (spec §10.4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "util/error.h"

namespace wharf::hub {

struct CommitHeader {
  std::string summary;
  std::string description;
  std::string parent_commit;  // "" when absent; else 5..40 lowercase hex (validated)
};
struct FileLine {          // "file": a regular file, content already decoded
  std::string path;
  std::string content;
};
struct LfsFileLine {       // "lfsFile"
  std::string path;
  std::string oid;         // 64 lowercase hex
  std::optional<uint64_t> size;
};
struct DeletedFileLine { std::string path; };
struct DeletedFolderLine { std::string path; };  // trailing '/' removed

using CommitLine = std::variant<CommitHeader, FileLine, LfsFileLine, DeletedFileLine, DeletedFolderLine>;

// Parses one line (without its '\n'). Paths are validated with invalid_repo_path.
// "file" accepts encoding "base64" (strict) and "utf-8". Unknown keys, unknown fields'
// types, missing fields, invalid base64, oldPath (renames are not supported yet) and
// invalid paths are BadRequest with a message naming the problem.
Result<CommitLine> parse_commit_line(std::string_view line);

}  // namespace wharf::hub

#include "hub/commit_line.h"

#include <nlohmann/json.hpp>

#include "util/encoding.h"
#include "util/repo_path.h"

namespace wharf::hub {
namespace {

using nlohmann::json;

Error line_error(std::string_view key, std::string problem) {
  return errors::bad_request("Invalid commit line '" + std::string(key) + "': " + problem);
}

// A required string field of `value`.
Result<std::string> required_string(const json& value, std::string_view key, const char* field) {
  auto it = value.find(field);
  if (it == value.end()) return fail(line_error(key, std::string("missing '") + field + "'"));
  if (!it->is_string())
    return fail(line_error(key, std::string("'") + field + "' must be a string"));
  return it->get<std::string>();
}

// An optional string field; absent and null both give nullopt (JS may serialize undefined
// fields as null).
Result<std::optional<std::string>> optional_string(const json& value, std::string_view key,
                                                   const char* field) {
  auto it = value.find(field);
  if (it == value.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string())
    return fail(line_error(key, std::string("'") + field + "' must be a string"));
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> repo_path(const json& value, std::string_view key) {
  std::string path = WHARF_TRY(required_string(value, key, "path"));
  // Python sends folder deletions with a trailing '/'.
  if (key == "deletedFolder" && path.ends_with('/')) path.pop_back();
  // The path itself is not echoed: it may hold bytes that do not belong in a header.
  if (auto why = invalid_repo_path(path)) return fail(line_error(key, "invalid path: " + *why));
  return path;
}

Result<void> refuse_rename(const json& value, std::string_view key) {
  auto it = value.find("oldPath");
  if (it != value.end() && !it->is_null()) {
    return fail(line_error(key, "renames (oldPath) are not supported"));
  }
  return {};
}

Result<CommitLine> parse_header(const json& value) {
  CommitHeader h;
  h.summary = WHARF_TRY(required_string(value, "header", "summary"));
  h.description = WHARF_TRY(optional_string(value, "header", "description")).value_or("");
  h.parent_commit = WHARF_TRY(optional_string(value, "header", "parentCommit")).value_or("");
  if (!h.parent_commit.empty() && (h.parent_commit.size() < 5 || h.parent_commit.size() > 40 ||
                                   !is_lower_hex(h.parent_commit))) {
    return fail(line_error("header", "'parentCommit' must be 5 to 40 lowercase hex characters"));
  }
  return h;
}

Result<CommitLine> parse_file(const json& value) {
  WHARF_TRY_VOID(refuse_rename(value, "file"));
  FileLine f;
  f.path = WHARF_TRY(repo_path(value, "file"));
  std::string content = WHARF_TRY(required_string(value, "file", "content"));
  std::string encoding = WHARF_TRY(required_string(value, "file", "encoding"));
  if (encoding == "base64") {
    auto decoded = base64_decode(content);
    if (!decoded) return fail(line_error("file", "'content' is not valid base64"));
    f.content = std::move(*decoded);
  } else if (encoding == "utf-8") {
    f.content = std::move(content);  // nlohmann has already checked that it is UTF-8
  } else {
    return fail(line_error("file", "'encoding' must be \"base64\" or \"utf-8\""));
  }
  return f;
}

Result<CommitLine> parse_lfs_file(const json& value) {
  WHARF_TRY_VOID(refuse_rename(value, "lfsFile"));
  LfsFileLine f;
  f.path = WHARF_TRY(repo_path(value, "lfsFile"));
  f.oid = WHARF_TRY(required_string(value, "lfsFile", "oid"));
  if (!is_lower_hex(f.oid, 64))
    return fail(line_error("lfsFile", "'oid' must be 64 lowercase hex characters"));
  auto algo = WHARF_TRY(optional_string(value, "lfsFile", "algo"));
  if (algo && *algo != "sha256") return fail(line_error("lfsFile", "'algo' must be \"sha256\""));
  auto size = value.find("size");
  if (size != value.end() && !size->is_null()) {
    // nlohmann stores every non-negative integer literal as unsigned; negative ones and
    // fractions land in the other number types.
    if (!size->is_number_unsigned()) {
      return fail(line_error("lfsFile", "'size' must be a non-negative integer"));
    }
    f.size = size->get<uint64_t>();
  }
  return f;
}

}  // namespace

Result<CommitLine> parse_commit_line(std::string_view line) {
  json doc = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail(errors::bad_request("Invalid commit line: not valid JSON"));
  if (!doc.is_object()) return fail(errors::bad_request("Invalid commit line: not a JSON object"));
  auto key_it = doc.find("key");
  if (key_it == doc.end() || !key_it->is_string()) {
    return fail(errors::bad_request("Invalid commit line: 'key' must be a string"));
  }
  const std::string& key = key_it->get_ref<const std::string&>();
  auto value_it = doc.find("value");
  bool known = key == "header" || key == "file" || key == "lfsFile" || key == "deletedFile" ||
               key == "deletedFolder";
  if (!known) {
    // Echo only a short, printable key: the message is also sent as a header.
    bool printable = key.size() <= 64;
    for (char c : key) printable = printable && c >= 0x20 && c < 0x7f;
    return fail(errors::bad_request("Unknown commit line key: " +
                                    (printable ? key : std::string("(unprintable)"))));
  }
  if (value_it == doc.end() || !value_it->is_object()) {
    return fail(line_error(key, "'value' must be an object"));
  }
  const json& value = *value_it;
  if (key == "header") return parse_header(value);
  if (key == "file") return parse_file(value);
  if (key == "lfsFile") return parse_lfs_file(value);
  std::string path = WHARF_TRY(repo_path(value, key));
  if (key == "deletedFile") return DeletedFileLine{std::move(path)};
  return DeletedFolderLine{std::move(path)};
}

}  // namespace wharf::hub

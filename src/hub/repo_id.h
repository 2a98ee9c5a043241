// Repository identity: type, namespace and name, and their validation (spec §1.1).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace wharf::hub {

enum class RepoType { Model, Dataset, Space };

// "model" / "dataset" / "space".
std::string_view type_name(RepoType t);
// "models" / "datasets" / "spaces" (API paths and the data dir).
std::string_view type_plural(RepoType t);
// "" / "datasets/" / "spaces/" (file, git and web URLs).
std::string_view url_prefix(RepoType t);
// Parses "model", "dataset", "space"; with allow_empty, "" (an absent value: Python omits
// the type of models) as model.
std::optional<RepoType> parse_type(std::string_view s, bool allow_empty = false);
// Parses "models", "datasets", "spaces".
std::optional<RepoType> parse_type_plural(std::string_view s);

struct RepoId {
  RepoType type = RepoType::Model;
  std::string ns;
  std::string name;
  std::string full() const { return ns + "/" + name; }  // "ns/name"
  bool operator==(const RepoId&) const = default;
};

// Nullopt for a valid namespace or name segment, else why not: 1 to 96 characters from
// [A-Za-z0-9_.-], no leading or trailing '-' or '.', no "--" or "..", not ending in ".git".
std::optional<std::string> invalid_name_segment(std::string_view s);
// Namespaces the server reserves because of URL prefixes (datasets, spaces, models, ...).
bool is_reserved_namespace(std::string_view ns);
// Validates both segments; BadRequest naming the problem.
Result<RepoId> make_repo_id(RepoType type, std::string_view ns, std::string_view name);

}  // namespace wharf::hub

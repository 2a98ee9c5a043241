#include "hub/repo_id.h"

#include <array>

namespace wharf::hub {
namespace {

constexpr std::size_t kMaxSegment = 96;

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  }
  return true;
}

bool is_segment_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

}  // namespace

std::string_view type_name(RepoType t) {
  switch (t) {
    case RepoType::Model:
      return "model";
    case RepoType::Dataset:
      return "dataset";
    case RepoType::Space:
      return "space";
  }
  return "model";
}

std::string_view type_plural(RepoType t) {
  switch (t) {
    case RepoType::Model:
      return "models";
    case RepoType::Dataset:
      return "datasets";
    case RepoType::Space:
      return "spaces";
  }
  return "models";
}

std::string_view url_prefix(RepoType t) {
  switch (t) {
    case RepoType::Model:
      return "";
    case RepoType::Dataset:
      return "datasets/";
    case RepoType::Space:
      return "spaces/";
  }
  return "";
}

std::optional<RepoType> parse_type(std::string_view s, bool allow_empty) {
  if (s.empty() && allow_empty) return RepoType::Model;
  for (RepoType t : {RepoType::Model, RepoType::Dataset, RepoType::Space}) {
    if (s == type_name(t)) return t;
  }
  return std::nullopt;
}

std::optional<RepoType> parse_type_plural(std::string_view s) {
  for (RepoType t : {RepoType::Model, RepoType::Dataset, RepoType::Space}) {
    if (s == type_plural(t)) return t;
  }
  return std::nullopt;
}

std::optional<std::string> invalid_name_segment(std::string_view s) {
  if (s.empty()) return "must not be empty";
  if (s.size() > kMaxSegment) return "must be at most 96 characters";
  for (char c : s) {
    if (!is_segment_char(c)) return "may only contain letters, digits, '_', '.' and '-'";
  }
  if (s.front() == '-' || s.front() == '.') return "must not start with '-' or '.'";
  if (s.back() == '-' || s.back() == '.') return "must not end with '-' or '.'";
  if (s.find("--") != s.npos || s.find("..") != s.npos) return "must not contain '--' or '..'";
  // Case-insensitive so that "x.GIT" cannot be confused with a bare git directory.
  if (s.size() >= 4 && iequals_ascii(s.substr(s.size() - 4), ".git"))
    return "must not end with '.git'";
  return std::nullopt;
}

bool is_reserved_namespace(std::string_view ns) {
  static constexpr std::array<std::string_view, 16> kReserved = {
      "datasets", "spaces", "models", "kernels", "api",    "buckets", "organizations", "settings",
      "new",      "docs",   "login",  "logout",  "join",   "static",  "avatars",       "users"};
  for (std::string_view r : kReserved) {
    if (iequals_ascii(ns, r)) return true;
  }
  return false;
}

// The messages do not echo the segment: they end up in the X-Error-Message header.
Result<RepoId> make_repo_id(RepoType type, std::string_view ns, std::string_view name) {
  if (auto why = invalid_name_segment(ns)) {
    return fail(errors::bad_request("Invalid namespace: it " + *why));
  }
  if (auto why = invalid_name_segment(name)) {
    return fail(errors::bad_request("Invalid repo name: it " + *why));
  }
  return RepoId{type, std::string(ns), std::string(name)};
}

}  // namespace wharf::hub

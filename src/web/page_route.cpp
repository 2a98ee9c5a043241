#include "web/page_route.h"

#include <array>
#include <string_view>
#include <vector>

#include "util/encoding.h"

namespace wharf::web {
namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// The actions of a repo page, and whether they take a revision (and then a path).
struct ActionShape {
  std::string_view name;
  bool rev;
  bool path;
};
constexpr std::array<ActionShape, 11> kActions = {{{"tree", true, true},
                                                   {"blob", true, true},
                                                   {"commits", true, false},
                                                   {"commit", true, false},
                                                   {"settings", false, false},
                                                   {"upload", true, false},
                                                   {"edit", true, true},
                                                   {"like", false, false},
                                                   {"access-requests", false, false},
                                                   {"request-access", false, false},
                                                   {"discussions", true, true}}};

// Single-segment paths that are pages of their own, never a profile.
bool is_reserved_top(std::string_view s) {
  for (std::string_view r : {"api", "static", "models", "datasets", "spaces", "new", "new-dataset", "new-space",
                             "join", "login", "logout", "settings", "organizations"})
    if (s == r) return true;
  return false;
}

PageRoute parse_repo(hub::RepoType type, const std::vector<std::string_view>& s, std::size_t at) {
  PageRoute r;
  if (s.size() < at + 2) return r;
  auto ns = percent_decode(s[at]), name = percent_decode(s[at + 1]);
  if (!ns || !name || hub::invalid_name_segment(*ns) || hub::invalid_name_segment(*name)) return r;
  r.type = type;
  r.repo = {type, *ns, *name};
  std::size_t i = at + 2;
  if (i == s.size()) {
    r.kind = PageKind::Repo;
    return r;
  }
  for (const auto& shape : kActions) {
    if (s[i] != shape.name) continue;
    r.action = std::string(shape.name);
    ++i;
    if (!shape.rev) {
      if (i != s.size()) return PageRoute{};
      r.kind = PageKind::Repo;
      return r;
    }
    if (i == s.size()) {  // "/tree" alone: the default branch
      r.kind = PageKind::Repo;
      return r;
    }
    auto rev = percent_decode(s[i++]);
    if (!rev) return PageRoute{};
    r.rev = *rev;
    std::string path;
    for (; i < s.size(); ++i) {
      if (!shape.path) return PageRoute{};
      auto seg = percent_decode(s[i]);
      if (!seg) return PageRoute{};
      if (!path.empty()) path += '/';
      path += *seg;
    }
    r.path = std::move(path);
    r.kind = PageKind::Repo;
    return r;
  }
  return PageRoute{};  // resolve/, raw/, info/refs, ... belong to the API
}

PageRoute page(PageKind kind, hub::RepoType type = hub::RepoType::Model) {
  PageRoute r;
  r.kind = kind;
  r.type = type;
  return r;
}

}  // namespace

PageRoute parse_page_route(const std::string& raw_path) {
  PageRoute r;
  std::string_view path = raw_path;
  if (path.empty() || path.front() != '/') return r;
  if (path == "/") return page(PageKind::Home);
  if (path.starts_with("/static/")) {
    r.kind = PageKind::Static;
    r.path = std::string(path.substr(8));
    return r;
  }
  if (path == "/join" || path == "/login" || path == "/logout" || path.starts_with("/settings/")) {
    r.kind = PageKind::Account;
    return r;
  }
  auto s = split(path);
  if (s.empty()) return r;
  if (s.size() == 1) {
    if (auto t = hub::parse_type_plural(s[0])) return page(PageKind::Listing, *t);
    if (s[0] == "new") return page(PageKind::NewRepo, hub::RepoType::Model);
    if (s[0] == "new-dataset") return page(PageKind::NewRepo, hub::RepoType::Dataset);
    if (s[0] == "new-space") return page(PageKind::NewRepo, hub::RepoType::Space);
    if (is_reserved_top(s[0])) return r;
    auto name = percent_decode(s[0]);
    if (!name || hub::invalid_name_segment(*name)) return r;
    r.kind = PageKind::Profile;
    r.path = *name;
    return r;
  }
  if (s[0] == "api") return r;
  if (s[0] == "datasets") return parse_repo(hub::RepoType::Dataset, s, 1);
  if (s[0] == "spaces") return parse_repo(hub::RepoType::Space, s, 1);
  if (is_reserved_top(s[0])) return r;
  return parse_repo(hub::RepoType::Model, s, 0);
}

std::string repo_path(const hub::RepoId& id) {
  return "/" + std::string(hub::url_prefix(id.type)) + id.ns + "/" + id.name;
}

std::string repo_path(const hub::RepoId& id, std::string_view action, std::string_view rev, std::string_view path) {
  std::string out = repo_path(id) + "/" + std::string(action);
  if (!rev.empty()) out += "/" + percent_encode(rev);
  if (!path.empty()) out += "/" + percent_encode(path, true);
  return out;
}

}  // namespace wharf::web

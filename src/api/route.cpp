#include "api/route.h"

#include <string_view>

#include "util/encoding.h"

namespace wharf::api {
namespace {

struct Seg {
  std::string_view raw;
  std::size_t begin;  // offset in the raw path
};

std::vector<Seg> split(std::string_view path) {
  std::vector<Seg> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back({path.substr(i, j - i), i});
    i = j;
  }
  return out;
}

// Decodes segments [from, to) and joins them with '/'.
std::optional<std::string> join_decoded(const std::vector<Seg>& s, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to && i < s.size(); ++i) {
    auto d = percent_decode(s[i].raw);
    if (!d) return std::nullopt;
    if (!out.empty()) out += '/';
    out += *d;
  }
  return out;
}

// How many raw segments from `at` form the revision: "refs/pr/N" and "refs/convert/X" sent
// unencoded take three; anything else is one (encoded slashes stay inside it).
std::size_t revision_width(const std::vector<Seg>& s, std::size_t at) {
  if (at + 2 < s.size() && s[at].raw == "refs" && (s[at + 1].raw == "pr" || s[at + 1].raw == "convert"))
    return 3;
  if (at + 1 < s.size() && s[at].raw == "refs" && (s[at + 1].raw == "heads" || s[at + 1].raw == "tags")) return 3;
  return 1;
}

bool set_repo(Route& r, hub::RepoType type, const std::vector<Seg>& s, std::size_t at, bool strip_git) {
  if (at + 1 >= s.size()) return false;
  auto ns = percent_decode(s[at].raw);
  auto name = percent_decode(s[at + 1].raw);
  if (!ns || !name) return false;
  if (strip_git && name->ends_with(".git")) name->resize(name->size() - 4);
  r.repo = {type, *ns, *name};
  r.id_begin = s[at].begin;
  r.id_end = s[at + 1].begin + s[at + 1].raw.size();
  return true;
}

Route parse_repo_api(hub::RepoType type, const std::vector<Seg>& s) {
  Route r;
  if (!set_repo(r, type, s, 2, false)) return r;
  r.kind = RouteKind::RepoApi;
  if (s.size() == 4) return r;
  r.sub = std::string(s[4].raw);
  if (r.sub == "tree") {
    // tree/{rev}[/{path...}]: a raw refs/pr/N revision, then the (raw or encoded) path.
    if (s.size() < 6) return r;
    std::size_t w = revision_width(s, 5);
    auto rev = join_decoded(s, 5, 5 + w);
    auto path = join_decoded(s, 5 + w, s.size());
    if (!rev || !path) r.bad_encoding = true;
    else r.rev = *rev, r.path = *path;
    return r;
  }
  // Everything else takes the whole rest as one revision or name (spec §1.2), except the
  // resources whose rest is not a revision.
  static const std::vector<std::string_view> kRestIsRevision = {
      "revision", "paths-info", "preupload", "commit", "commits", "super-squash", "branch", "tag",
      "xet-read-token", "xet-write-token"};
  bool is_rev = false;
  for (auto k : kRestIsRevision) is_rev |= r.sub == k;
  auto rest = join_decoded(s, 5, s.size());
  if (!rest) r.bad_encoding = true;
  else if (is_rev) r.rev = *rest;
  else r.path = *rest;
  return r;
}

Route parse_file_or_git(const std::vector<Seg>& s, std::string_view raw_path) {
  Route r;
  std::size_t at = 0;
  hub::RepoType type = hub::RepoType::Model;
  if (!s.empty() && s[0].raw == "datasets") type = hub::RepoType::Dataset, at = 1;
  else if (!s.empty() && s[0].raw == "spaces") type = hub::RepoType::Space, at = 1;
  else if (!s.empty() && s[0].raw == "models") at = 1;
  if (s.size() < at + 3) return r;
  std::string_view verb = s[at + 2].raw;
  bool dot_git = s[at + 1].raw.ends_with(".git");
  if (!set_repo(r, type, s, at, true)) return r;
  if (verb == "ask-access" && !dot_git && s.size() == at + 3) {
    r.kind = RouteKind::AskAccess;
    return r;
  }
  if ((verb == "resolve" || verb == "raw") && !dot_git) {
    r.kind = verb == "resolve" ? RouteKind::Resolve : RouteKind::Raw;
    if (s.size() < at + 5) {
      r.kind = RouteKind::NotFound;
      return r;
    }
    std::size_t w = revision_width(s, at + 3);
    auto rev = join_decoded(s, at + 3, at + 3 + w);
    auto path = join_decoded(s, at + 3 + w, s.size());
    if (!rev || !path) r.bad_encoding = true;
    else r.rev = *rev, r.path = *path;
    return r;
  }
  if (verb == "info" && s.size() > at + 4 && s[at + 3].raw == "lfs") {
    r.kind = RouteKind::Lfs;
    r.sub = std::string(raw_path.substr(s[at + 4].begin));
    return r;
  }
  if ((verb == "info" && s.size() == at + 4 && s[at + 3].raw == "refs") || verb == "git-upload-pack" ||
      verb == "git-receive-pack" || verb == "HEAD" || verb == "objects") {
    r.kind = RouteKind::GitSmart;
    r.sub = std::string(raw_path.substr(s[at + 2].begin));
    return r;
  }
  return r;
}

}  // namespace

Route parse_route(const std::string& raw_path) {
  auto s = split(raw_path);
  Route r;
  if (s.empty()) return r;
  if (s[0].raw == "api") {
    if (s.size() == 2 && s[1].raw == "whoami-v2") r.kind = RouteKind::Whoami;
    else if (s.size() == 2 && s[1].raw == "validate-yaml") r.kind = RouteKind::ValidateYaml;
    else if (s.size() == 3 && s[1].raw == "repos" && s[2].raw == "create") r.kind = RouteKind::RepoCreate;
    else if (s.size() == 3 && s[1].raw == "repos" && s[2].raw == "delete") r.kind = RouteKind::RepoDelete;
    else if (s.size() == 3 && s[1].raw == "repos" && s[2].raw == "move") r.kind = RouteKind::RepoMove;
    else if (s.size() == 2 && hub::parse_type_plural(s[1].raw)) {
      r.kind = RouteKind::Listing;
      r.repo.type = *hub::parse_type_plural(s[1].raw);
    } else if (s.size() == 2 && (s[1].raw == "models-tags-by-type" || s[1].raw == "datasets-tags-by-type")) {
      r.kind = RouteKind::TagsByType;
      r.repo.type = s[1].raw == "models-tags-by-type" ? hub::RepoType::Model : hub::RepoType::Dataset;
    } else if (s.size() >= 4 && hub::parse_type_plural(s[1].raw)) {
      return parse_repo_api(*hub::parse_type_plural(s[1].raw), s);
    } else if (s.size() >= 2 && (s[1].raw == "organizations" || s[1].raw == "users" ||
                                 s[1].raw == "settings" || s[1].raw == "audit-log")) {
      r.kind = RouteKind::Accounts;
      auto rest = join_decoded(s, 1, s.size());
      if (!rest) r.bad_encoding = true;
      else r.path = *rest;
    }
    return r;
  }
  return parse_file_or_git(s, raw_path);
}

}  // namespace wharf::api

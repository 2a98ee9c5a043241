// File listings (spec §8): GET .../tree/{rev}[/{path}] and POST .../paths-info/{rev}.
#include "api/context.h"
#include "api/entries.h"
#include "util/repo_path.h"

namespace wharf::api {
namespace {

constexpr std::size_t kPageSize = 1000;
constexpr std::size_t kExpandPageSize = 50;
constexpr std::size_t kMaxPaths = 1000;

Result<std::size_t> cursor_offset(const QueryParams& q) {
  auto cursor = q.get("cursor");
  if (!cursor) return std::size_t{0};
  auto decoded = base64_decode(*cursor);
  std::size_t n = 0;
  if (!decoded || decoded->size() < 3 || !decoded->starts_with("o:") || decoded->size() > 14)
    return fail(errors::bad_request("Invalid cursor"));
  for (char ch : decoded->substr(2)) {
    if (ch < '0' || ch > '9') return fail(errors::bad_request("Invalid cursor"));
    n = n * 10 + static_cast<std::size_t>(ch - '0');
  }
  return n;
}

// Adds lastCommit to each entry of `page`.
Result<void> expand_entries(const storage::GitRepo& git, const std::string& commit,
                            const std::vector<storage::TreeEntry>& entries, nlohmann::json& page) {
  std::vector<std::string> paths;
  for (const auto& e : entries) paths.push_back(e.path);
  auto last = WHARF_TRY(git.last_commits(commit, paths));
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (auto it = last.find(entries[i].path); it != last.end()) page[i]["lastCommit"] = last_commit_json(it->second);
    page[i]["securityFileStatus"] = {{"status", "unscanned"}, {"avScan", nullptr}, {"pickleImportScan", nullptr}};
  }
  return {};
}

Result<std::vector<std::string>> paths_from_body(http::Request& req, bool& expand) {
  auto ctype = req.headers.get("Content-Type").value_or("");
  std::vector<std::string> paths;
  if (ctype.starts_with("application/x-www-form-urlencoded")) {
    auto body = WHARF_TRY(req.read_body(4 << 20));
    auto form = QueryParams::parse(body);
    paths = form.all("paths");
    expand = form.flag("expand");
  } else {
    auto body = WHARF_TRY(read_json(req, 4 << 20));
    auto it = body.find("paths");
    if (it == body.end() || !it->is_array()) return fail(errors::bad_request("paths must be an array of strings"));
    for (const auto& p : *it) {
      if (!p.is_string()) return fail(errors::bad_request("paths must be an array of strings"));
      paths.push_back(p.get<std::string>());
    }
    auto e = body.find("expand");
    expand = e != body.end() && ((e->is_boolean() && e->get<bool>()) || (e->is_string() && *e == "true"));
  }
  if (paths.size() > kMaxPaths) return fail(errors::payload_too_large("At most 1000 paths per request"));
  return paths;
}

}  // namespace

Result<http::Response> handle_tree(Call& c) {
  auto repo = WHARF_TRY(c.open(hub::Access::Read));
  std::string rev = c.route.rev.empty() ? "HEAD" : c.route.rev;
  auto commit = WHARF_TRY(repo.git.resolve_revision(rev));
  std::string dir = c.route.path;
  while (!dir.empty() && dir.back() == '/') dir.pop_back();
  if (!dir.empty() && invalid_repo_path(dir)) return fail(errors::entry_not_found());
  bool recursive = c.query.flag("recursive");
  bool expand = c.query.flag("expand");
  auto entries = WHARF_TRY(repo.git.list_tree(commit, dir, recursive));
  std::size_t offset = WHARF_TRY(cursor_offset(c.query));
  std::size_t page_size = expand ? kExpandPageSize : kPageSize;
  std::size_t end = std::min(entries.size(), offset + page_size);
  std::vector<storage::TreeEntry> slice;
  if (offset < entries.size()) slice.assign(entries.begin() + offset, entries.begin() + end);
  nlohmann::json page = nlohmann::json::array();
  for (const auto& e : slice) page.push_back(WHARF_TRY(entry_json(repo.git, e)));
  if (expand) WHARF_TRY_VOID(expand_entries(repo.git, commit, slice, page));
  auto res = json_response(page);
  if (end < entries.size())
    res.headers.set("Link", "<" + c.link_with("cursor", base64_encode("o:" + std::to_string(end))) + ">; rel=\"next\"");
  return res;
}

Result<http::Response> handle_paths_info(Call& c) {
  auto repo = WHARF_TRY(c.open(hub::Access::Read));
  auto commit = WHARF_TRY(repo.git.resolve_revision(c.route.rev.empty() ? "HEAD" : c.route.rev));
  bool expand = false;
  auto paths = WHARF_TRY(paths_from_body(c.req, expand));
  std::vector<storage::TreeEntry> found;
  for (auto p : paths) {
    while (!p.empty() && p.back() == '/') p.pop_back();
    if (p.empty() || invalid_repo_path(p)) continue;  // missing paths are left out (spec §8.2)
    if (auto e = WHARF_TRY(repo.git.stat(commit, p))) found.push_back(std::move(*e));
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : found) out.push_back(WHARF_TRY(entry_json(repo.git, e)));
  if (expand) WHARF_TRY_VOID(expand_entries(repo.git, commit, found, out));
  return json_response(out);
}

}  // namespace wharf::api

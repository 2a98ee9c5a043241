// Preupload and the NDJSON commit (spec §10.2, §10.4).
#include "api/context.h"
#include "hub/commits.h"
#include "hub/pull_requests.h"
#include "hub/uploads.h"
#include "util/repo_path.h"

namespace wharf::api {
namespace {

constexpr std::size_t kMaxPreuploadFiles = 1000;

// With create_pr=1 the revision is the PR's base; commits to refs/pr/<num> come from its
// author or a writer (hub/pull_requests).
Result<hub::RepoHandle> open_for_commit(Call& c, const std::string& revision) {
  return hub::open_repo_for_commit(c.hub, c.who, c.route.repo, revision, c.query.flag("create_pr"));
}

Result<std::optional<std::string>> optional_string(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return fail(errors::bad_request(std::string(key) + " must be a string"));
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::vector<hub::PreuploadFile>> preupload_files(const nlohmann::json& body) {
  auto it = body.find("files");
  if (it == body.end() || !it->is_array()) return fail(errors::bad_request("files must be an array"));
  if (it->size() > kMaxPreuploadFiles) return fail(errors::payload_too_large("At most 1000 files per preupload call"));
  std::vector<hub::PreuploadFile> files;
  for (const auto& f : *it) {
    hub::PreuploadFile pf;
    pf.path = WHARF_TRY(string_field(f, "path", true));
    if (auto why = invalid_repo_path(pf.path)) return fail(errors::bad_request("Invalid path '" + pf.path + "': " + *why));
    auto size = f.find("size");
    if (size == f.end() || !size->is_number_unsigned())
      return fail(errors::bad_request("size must be a non-negative integer for " + pf.path));
    pf.size = size->get<uint64_t>();
    auto sample = WHARF_TRY(string_field(f, "sample", false));
    auto decoded = base64_decode(sample);
    if (!decoded) return fail(errors::bad_request("sample must be base64 for " + pf.path));
    pf.sample = std::move(*decoded);
    files.push_back(std::move(pf));
  }
  return files;
}

}  // namespace

Result<http::Response> handle_preupload(Call& c) {
  std::string rev = c.route.rev.empty() ? "HEAD" : c.route.rev;
  auto repo = WHARF_TRY(open_for_commit(c, rev));
  auto commit = WHARF_TRY(repo.git.resolve_revision(rev));
  auto body = WHARF_TRY(read_json(c.req, 16 << 20));
  auto files = WHARF_TRY(preupload_files(body));
  auto gitignore = WHARF_TRY(optional_string(body, "gitIgnore"));
  auto gitattributes = WHARF_TRY(optional_string(body, "gitAttributes"));
  auto decisions = WHARF_TRY(hub::preupload(repo, commit, files, gitignore, gitattributes));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : decisions)
    out.push_back({{"path", d.path},
                   {"uploadMode", d.lfs ? "lfs" : "regular"},
                   {"shouldIgnore", d.should_ignore},
                   {"oid", d.oid ? nlohmann::json(*d.oid) : nlohmann::json(nullptr)}});
  return json_response({{"files", out}, {"commitOid", commit}});
}

Result<http::Response> handle_commit(Call& c) {
  std::string rev = c.route.rev.empty() ? "main" : c.route.rev;
  auto repo = WHARF_TRY(open_for_commit(c, rev));
  bool create_pr = c.query.flag("create_pr");
  auto result = WHARF_TRY(hub::commit_ndjson(c.hub, repo, c.who, rev, c.req.body(), create_pr));
  nlohmann::json out = {{"success", true},
                        {"commitOid", result.commit},
                        {"commitUrl", c.repo_url(repo.id) + "/commit/" + result.commit},
                        {"hookOutput", ""}};
  if (result.pull_request)
    out["pullRequestUrl"] = c.repo_url(repo.id) + "/discussions/" + std::to_string(result.pull_request);
  return json_response(out);
}

}  // namespace wharf::api

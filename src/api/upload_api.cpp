// Preupload and the NDJSON commit (spec §10.2, §10.4).
#include "api/context.h"
#include "hub/commits.h"
#include "hub/uploads.h"
#include "util/repo_path.h"

namespace wharf::api {
namespace {

constexpr std::size_t kMaxPreuploadFiles = 1000;

Result<void> refuse_pull_requests(const Call& c) {
  if (c.query.flag("create_pr"))
    return fail(errors::not_implemented("Pull requests (create_pr) are not supported by this server yet"));
  return {};
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
  auto repo = WHARF_TRY(c.open(hub::Access::Write));
  WHARF_TRY_VOID(refuse_pull_requests(c));
  auto commit = WHARF_TRY(repo.git.resolve_revision(c.route.rev.empty() ? "HEAD" : c.route.rev));
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
  auto repo = WHARF_TRY(c.open(hub::Access::Write));
  WHARF_TRY_VOID(refuse_pull_requests(c));
  auto result = WHARF_TRY(hub::commit_ndjson(c.hub, repo, c.who, c.route.rev.empty() ? "main" : c.route.rev,
                                             c.req.body()));
  return json_response({{"success", true},
                        {"commitOid", result.commit},
                        {"commitUrl", c.repo_url(repo.id) + "/commit/" + result.commit},
                        {"hookOutput", ""}});
}

}  // namespace wharf::api

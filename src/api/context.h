// What each API handler gets: the hub, the options, the parsed route and the caller.
#pragma once

#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/route.h"
#include "hub/identity.h"
#include "hub/repos.h"
#include "util/encoding.h"

namespace wharf::api {

struct Call {
  hub::Hub& hub;
  const ApiOptions& options;
  http::Request& req;
  const Route& route;
  const hub::Identity& who;
  QueryParams query;

  // The repo of the route, opened with `access`.
  Result<hub::RepoHandle> open(hub::Access access) const { return hub::open_repo(hub, who, route.repo, access); }
  // <public_url>/<prefix><ns>/<name>
  std::string repo_url(const hub::RepoId& id) const;
  // <public_url><raw path>?<query with key=value> for Link headers.
  std::string link_with(std::string_view key, std::string_view value) const;
};

// A JSON response with the Hub's content type.
http::Response json_response(const nlohmann::json& body, int status = 200);

// Parses a JSON request body (at most `limit` bytes). BadRequest when it is not JSON.
Result<nlohmann::json> read_json(http::Request& req, std::size_t limit = 1 << 20);

// Typed field access for request bodies: BadRequest naming the field on a wrong type.
Result<std::string> string_field(const nlohmann::json& j, const char* key, bool required,
                                 std::string fallback = "");

// Handlers, one family per file.
Result<http::Response> handle_whoami(Call& c);
Result<http::Response> handle_repo_create(Call& c);
Result<http::Response> handle_repo_delete(Call& c);
Result<http::Response> handle_repo_move(Call& c);
Result<http::Response> handle_validate_yaml(Call& c);
Result<http::Response> handle_repo_settings(Call& c);
Result<http::Response> handle_auth_check(Call& c);
Result<http::Response> handle_repo_info(Call& c);
Result<http::Response> handle_tree(Call& c);
Result<http::Response> handle_paths_info(Call& c);
Result<http::Response> handle_refs(Call& c);
Result<http::Response> handle_commits(Call& c);
Result<http::Response> handle_branch(Call& c);
Result<http::Response> handle_tag(Call& c);
Result<http::Response> handle_super_squash(Call& c);
Result<http::Response> handle_preupload(Call& c);
Result<http::Response> handle_commit(Call& c);
Result<http::Response> handle_lfs(Call& c);
Result<http::Response> handle_resolve(Call& c, bool raw);
Result<http::Response> handle_git(Call& c);
// Accounts (orgs_api.cpp, tokens_api.cpp, audit_api.cpp): RouteKind::Accounts.
Result<http::Response> handle_accounts(Call& c);
// Gated repos (access_requests_api.cpp): RepoApi sub "user-access-request", and ask-access.
Result<http::Response> handle_access_requests(Call& c);
// Discovery (listing_api.cpp): GET /api/{models,datasets,spaces}, /api/*-tags-by-type.
Result<http::Response> handle_listing(Call& c);
Result<http::Response> handle_tags_by_type(Call& c);
// Likes (likes_api.cpp): POST|DELETE /api/{type}s/{id}/like, GET .../likers, and
// GET /api/users/{u}/likes (called by the accounts routes).
Result<http::Response> handle_like(Call& c);
Result<http::Response> handle_likers(Call& c);
Result<http::Response> handle_user_likes(Call& c, const std::string& user);
Result<http::Response> handle_ask_access(Call& c);
// Discussions (discussions_api.cpp): RepoApi sub "discussions".
Result<http::Response> handle_discussions(Call& c);

}  // namespace wharf::api

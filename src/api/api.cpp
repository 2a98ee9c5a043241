#include "api/api.h"

#include "api/context.h"
#include "util/log.h"

namespace wharf::api {

constexpr const char* kExposed =
    "X-Repo-Commit, X-Request-Id, X-Error-Code, X-Error-Message, X-Total-Count, ETag, Link, "
    "Accept-Ranges, Content-Range, X-Linked-Size, X-Linked-ETag, Content-Length, Content-Disposition, "
    "RateLimit, RateLimit-Policy, Retry-After";

void add_cors(const http::Request& req, http::Response& res) {
  auto origin = req.headers.get("Origin");
  res.headers.set("Access-Control-Allow-Origin", origin ? *origin : "*");
  if (origin) res.headers.set("Vary", "Origin");
  res.headers.set("Access-Control-Expose-Headers", kExposed);
}

namespace {

http::Response preflight(const http::Request& req) {
  http::Response res;
  res.status = 204;
  res.headers.set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
  res.headers.set("Access-Control-Allow-Headers",
                  req.headers.get("Access-Control-Request-Headers")
                      .value_or("Authorization, Range, Content-Type, X-Request-Id, Accept"));
  res.headers.set("Access-Control-Max-Age", "86400");
  return res;
}


Result<http::Response> method_not_allowed() {
  return fail(Error{405, "MethodNotAllowed", "Method not allowed on this route", {}, {}});
}

Result<http::Response> dispatch_repo_api(Call& c) {
  const auto& sub = c.route.sub;
  const auto& m = c.req.method;
  bool read = m == "GET" || m == "HEAD";
  if (sub.empty() || sub == "revision") return read ? handle_repo_info(c) : method_not_allowed();
  if (sub == "tree") return read ? handle_tree(c) : method_not_allowed();
  if (sub == "paths-info") return m == "POST" ? handle_paths_info(c) : method_not_allowed();
  if (sub == "refs") return read ? handle_refs(c) : method_not_allowed();
  if (sub == "commits") return read ? handle_commits(c) : method_not_allowed();
  if (sub == "branch") return handle_branch(c);
  if (sub == "tag") return handle_tag(c);
  if (sub == "super-squash") return m == "POST" ? handle_super_squash(c) : method_not_allowed();
  if (sub == "preupload") return m == "POST" ? handle_preupload(c) : method_not_allowed();
  if (sub == "commit") return m == "POST" ? handle_commit(c) : method_not_allowed();
  if (sub == "settings") return m == "PUT" ? handle_repo_settings(c) : method_not_allowed();
  if (sub == "auth-check") return read ? handle_auth_check(c) : method_not_allowed();
  if (sub == "user-access-request") return handle_access_requests(c);
  if (sub == "like") return handle_like(c);
  if (sub == "likers") return read ? handle_likers(c) : method_not_allowed();
  if (sub == "discussions") return handle_discussions(c);
  if (sub == "xet-read-token" || sub == "xet-write-token")
    return fail(errors::not_implemented("This server does not support Xet; set HF_HUB_DISABLE_XET=1"));
  return fail(errors::not_found("Unknown API route"));
}

Result<http::Response> dispatch(Call& c) {
  const auto& m = c.req.method;
  switch (c.route.kind) {
    case RouteKind::Whoami: return handle_whoami(c);
    case RouteKind::RepoCreate: return m == "POST" ? handle_repo_create(c) : method_not_allowed();
    case RouteKind::RepoDelete: return m == "DELETE" ? handle_repo_delete(c) : method_not_allowed();
    case RouteKind::RepoMove: return m == "POST" ? handle_repo_move(c) : method_not_allowed();
    case RouteKind::ValidateYaml: return m == "POST" ? handle_validate_yaml(c) : method_not_allowed();
    case RouteKind::RepoApi: return dispatch_repo_api(c);
    case RouteKind::Resolve: return m == "GET" || m == "HEAD" ? handle_resolve(c, false) : method_not_allowed();
    case RouteKind::Raw: return m == "GET" || m == "HEAD" ? handle_resolve(c, true) : method_not_allowed();
    case RouteKind::Lfs: return handle_lfs(c);
    case RouteKind::GitSmart: return handle_git(c);
    case RouteKind::AskAccess: return m == "POST" ? handle_ask_access(c) : method_not_allowed();
    case RouteKind::Listing: return m == "GET" || m == "HEAD" ? handle_listing(c) : method_not_allowed();
    case RouteKind::TagsByType: return m == "GET" || m == "HEAD" ? handle_tags_by_type(c) : method_not_allowed();
    case RouteKind::Accounts: return handle_accounts(c);
    case RouteKind::NotFound: break;
  }
  return fail(errors::not_found("Not found"));
}

// A renamed repo answers its old URLs with a relative 307 to the new name (spec §7.3). The
// client swaps the path of the URL it asked for this one, so it carries the proxy's prefix.
http::Response moved(const http::Request& req, const Route& route, const std::string& new_id,
                     const std::string& public_url) {
  http::Response res;
  res.status = 307;
  std::string location = url_path(public_url) + req.path.substr(0, route.id_begin) +
                         percent_encode(new_id, true) + req.path.substr(route.id_end);
  if (!req.query.empty()) location += "?" + req.query;
  res.headers.set("Location", location);
  res.headers.set("Content-Type", "application/json; charset=utf-8");
  res.body = "{}";
  return res;
}

// A redirected file download still names the commit it would serve (spec §7.2, §19).
void add_moved_commit(hub::Hub& hub, const hub::Identity& who, const Route& route,
                      const std::string& new_id, http::Response& res) {
  if (route.kind != RouteKind::Resolve && route.kind != RouteKind::Raw) return;
  auto slash = new_id.find('/');
  if (slash == std::string::npos) return;
  hub::RepoId id{route.repo.type, new_id.substr(0, slash), new_id.substr(slash + 1)};
  auto repo = hub::open_repo(hub, who, id, hub::Access::Read);
  if (!repo) return;
  if (auto commit = repo->git.resolve_revision(route.rev)) res.headers.set("X-Repo-Commit", *commit);
}

// A browser reading a file (an image of a card, a download link of the web UI) sends the web
// session cookie, not a token. Only safe reads of file bytes take it: everything that
// changes state needs a token, so a cross-site form can never act with the cookie.
bool browser_file_read(const http::Request& req, const Route& route) {
  return (req.method == "GET" || req.method == "HEAD") && !req.headers.has("Authorization") &&
         (route.kind == RouteKind::Resolve || route.kind == RouteKind::Raw);
}

}  // namespace

http::Handler make_handler(hub::Hub& hub, ApiOptions options) {
  auto opts = std::make_shared<ApiOptions>(std::move(options));
  return [&hub, opts](http::Request& req) -> Result<http::Response> {
    http::Response res;
    if (req.method == "OPTIONS") {
      res = preflight(req);
    } else {
      Route route = parse_route(req.path);
      // The rate limiter may have resolved the Authorization header already.
      auto* known = std::any_cast<hub::Identity>(&req.context);
      Result<hub::Identity> who = known ? Result<hub::Identity>(std::move(*known))
                                        : hub::authenticate(hub, req.headers.get("Authorization"));
      if (who && !who->authenticated() && browser_file_read(req, route))
        if (auto secret = req.cookie(hub::kSessionCookie)) who = hub::authenticate_session(hub, *secret);
      if (who) who->remote_address = req.remote_address;
      Result<http::Response> r = fail(errors::internal("unreachable"));
      if (!who) r = fail(who.error());
      else if (route.bad_encoding) r = fail(errors::bad_request("Invalid percent-encoding in the URL"));
      else {
        Call call{hub, *opts, req, route, *who, QueryParams::parse(req.query)};
        r = dispatch(call);
      }
      if (r) res = std::move(*r);
      else if (r.error().status == 307 && r.error().code == "RepoMoved") {
        res = moved(req, route, r.error().message, opts->public_url);
        add_moved_commit(hub, *who, route, r.error().message, res);
      }
      else {
        if (r.error().status >= 500) log::error(req.method + " " + req.path + ": " + r.error().message);
        res = http::error_response(r.error());
      }
    }
    add_cors(req, res);
    return res;
  };
}

}  // namespace wharf::api
